#!/usr/bin/env bash
# The JMH microbenchmarks of the hot loops against the same work in NumPy / PyTorch / pydicom,
# alternating JMH and Python runs for R rounds; prints the median us per 512x512 frame of each.
#   bash benchmarks/scripts/jmh-vs-numpy.sh [rounds] [jmh flags...]   (default: 2 rounds, -f 1 -wi 2 -i 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"; shift || true
flags=("$@"); [[ ${#flags[@]} -eq 0 ]] && flags=(-f 1 -wi 2 -i 3)
./roentgen --version >/dev/null   # builds cli/target/roentgen.jar when sources changed
work="$(mktemp -d)"
for r in $(seq "$rounds"); do
  echo "round $r of $rounds" >&2
  java -cp cli/target/roentgen.jar org.openjdk.jmh.Main 'io.roentgen.benchmarks.jmh.*' "${flags[@]}" \
    -rf json -rff "$work/jmh-$r.json" >"$work/jmh-$r.log" 2>&1
  /usr/bin/python3 benchmarks/scripts/pixel_loops_numpy.py >"$work/py-$r.txt"
done
/usr/bin/python3 - "$work" "$rounds" <<'PY'
import glob, json, re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
jmh = {}
for f in glob.glob(f"{work}/jmh-*.json"):
    for b in json.load(open(f)):
        jmh.setdefault(b["benchmark"].split(".")[-2] + "." + b["benchmark"].split(".")[-1], []).append(b["primaryMetric"]["score"])
py = {}
for f in glob.glob(f"{work}/py-*.txt"):
    for line in open(f):
        m = re.match(r"(.+?)\s+([\d.]+) us$", line.strip())
        if m:
            py.setdefault(m.group(1), []).append(float(m.group(2)))
print(f"{rounds} rounds; us per 512x512 frame, median over rounds (min-max)")
for name, v in sorted(jmh.items()) + sorted(py.items()):
    print(f"| {name} | {statistics.median(v):.1f} | {min(v):.1f}-{max(v):.1f} |")
PY
