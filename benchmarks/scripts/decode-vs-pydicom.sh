#!/usr/bin/env bash
# Read + decode of uncompressed 16-bit DICOM from the page cache, Roentgen against Debian's
# python3-pydicom (dcmread + pixel_array) on the same files in the same run: a 512x512 CT slice
# set (per-file overhead) and a 2048x2048 radiograph set (bandwidth). Roentgen and pydicom run
# alternately, round after round, so background load hits both alike; every pass of every
# round counts. Prints a markdown table: median files/s and MB/s of pixel data, the ratio
# Roentgen/pydicom, the min-max spread of files/s, and the machine.
#
#   bash benchmarks/scripts/decode-vs-pydicom.sh [rounds] [passes-per-round] [work-dir]
#
# Needs: java 17, maven (offline is fine once built), /usr/bin/python3 with pydicom and numpy.
# Environment: CT_FILES (default 200), CR_FILES (default 20), THREADS (default nproc) for the
# extra multi-threaded Roentgen row (pydicom is single-threaded: the GIL).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
passes="${2:-5}"
work="${3:-${TMPDIR:-/tmp}/roentgen-decode-bench}"
ct_files="${CT_FILES:-200}"
cr_files="${CR_FILES:-20}"
threads="${THREADS:-$(nproc)}"
python=/usr/bin/python3
jar=cli/target/roentgen.jar

# ./roentgen rebuilds the jar when a source is newer; --version is the cheapest command.
./roentgen --version >/dev/null

make_files() { # dir size count kind
  local dir="$1"
  if [[ "$(find "$dir" -name '*.dcm' 2>/dev/null | wc -l)" -ne "$3" ]]; then
    rm -rf "$dir"
    java -cp "$jar" io.roentgen.benchmarks.decode.BenchFiles "$dir" "$2" "$3" "$4"
  fi
}
make_files "$work/ct512" 512 "$ct_files" ct
make_files "$work/cr2048" 2048 "$cr_files" cr

results="$work/results.jsonl"
: >"$results"
record() { # tool set threads json
  "$python" -c 'import json,sys
d = json.loads(sys.argv[4])
if "rows" in d:  # roentgen bench decode --json: per-pass seconds from the files/s of each pass
    r = d["rows"][0]
    d = {"files": r["files"], "pixelBytesPerPass": r["pixelBytesPerPass"],
         "passSeconds": [r["files"] / v for v in r["filesPerSecond"]["values"]]}
d = d[0] if isinstance(d, list) else d
print(json.dumps({"tool": sys.argv[1], "set": sys.argv[2], "threads": int(sys.argv[3]),
                  "files": d["files"], "bytes": d["pixelBytesPerPass"], "seconds": d["passSeconds"],
                  "pydicom": d.get("pydicom")}))' "$@" >>"$results"
}
roentgen() { ./roentgen bench decode "$1" --repetitions "$passes" --threads "$2" --json "${@:3}"; }
pydicom() { "$python" benchmarks/scripts/pydicom_decode.py "$passes" "$1"/*.dcm; }

for round in $(seq "$rounds"); do
  echo "round $round of $rounds" >&2
  for set in ct512 cr2048; do
    dir="$work/$set"
    # Alternate who goes first, so neither always runs on the warmer (or busier) machine.
    if (( round % 2 )); then
      record roentgen "$set" 1 "$(roentgen "$dir" 1)"
      record pydicom "$set" 1 "$(pydicom "$dir")"
      record roentgen-fresh "$set" 1 "$(roentgen "$dir" 1 --fresh-frames)"
    else
      record roentgen-fresh "$set" 1 "$(roentgen "$dir" 1 --fresh-frames)"
      record pydicom "$set" 1 "$(pydicom "$dir")"
      record roentgen "$set" 1 "$(roentgen "$dir" 1)"
    fi
    if (( threads > 1 )); then
      record roentgen "$set" "$threads" "$(roentgen "$dir" "$threads")"
    fi
  done
done

java_version="$(java -version 2>&1 | head -n 2 | tr '\n' ' ')"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
"$python" - "$results" "$(nproc)" "$cpu" "$java_version" "$rounds" "$passes" <<'EOF'
import json, statistics, sys
path, cores, cpu, java, rounds, passes = sys.argv[1:]
rows = [json.loads(line) for line in open(path)]
pydicom_version = next(r["pydicom"] for r in rows if r["pydicom"])

def figures(tool, data_set, threads):
    mine = [r for r in rows if r["tool"] == tool and r["set"] == data_set and r["threads"] == threads]
    if not mine:
        return None
    fps = sorted(r["files"] / s for r in mine for s in r["seconds"])
    mbs = sorted(r["bytes"] / 1e6 / s for r in mine for s in r["seconds"])
    return {"fps": statistics.median(fps), "mbs": statistics.median(mbs), "lo": fps[0], "hi": fps[-1],
            "n": len(fps), "files": mine[0]["files"]}

names = {"ct512": "512x512 16-bit CT", "cr2048": "2048x2048 16-bit radiograph"}
print(f"Read + decode from the page cache, {rounds} rounds x {passes} passes each, alternating.\n")
print("| images | reader | threads | files/s (median) | MB/s (median) | vs pydicom (files/s) | files/s spread (min-max) |")
print("|---|---|---:|---:|---:|---:|---|")
threads_seen = sorted({r["threads"] for r in rows if r["tool"] == "roentgen"})
for data_set in ("ct512", "cr2048"):
    ref = figures("pydicom", data_set, 1)
    label = f"{names[data_set]} ({ref['files']} files)"
    print(f"| {label} | pydicom {pydicom_version} | 1 | {ref['fps']:,.0f} | {ref['mbs']:,.0f} | 1.00x "
          f"| {ref['lo']:,.0f}-{ref['hi']:,.0f} |")
    fresh = figures("roentgen-fresh", data_set, 1)
    if fresh:
        f = fresh
        print(f"| {label} | Roentgen, a new array per frame | 1 | {f['fps']:,.0f} | {f['mbs']:,.0f} "
              f"| {f['fps'] / ref['fps']:.2f}x | {f['lo']:,.0f}-{f['hi']:,.0f} |")
    for t in threads_seen:
        f = figures("roentgen", data_set, t)
        print(f"| {label} | Roentgen, recycled arrays | {t} | {f['fps']:,.0f} | {f['mbs']:,.0f} | {f['fps'] / ref['fps']:.2f}x "
              f"| {f['lo']:,.0f}-{f['hi']:,.0f} |")
print()
print(f"Machine: {cores} cores ({cpu}); {java.strip()}; pydicom {pydicom_version} "
      f"(Debian python3-pydicom, /usr/bin/python3). MB = 10^6 bytes of pixel data "
      f"(rows x columns x 2 bytes per file).")
EOF
