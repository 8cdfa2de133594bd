#!/usr/bin/env bash
# A soak at saturation: starts `roentgen serve` on a model repository and loads it with
# `roentgen bench serve` (a separate JVM) in 2-minute segments for MINUTES. In the middle of each
# segment the model is hot-reloaded; all along, a second client sends hostile bodies (mutated
# conformance fixtures, JPEG 2000 most) at about HOSTILE_PER_SECOND. Per segment it prints the
# sent, answered, non-200 and lost (no HTTP answer) requests, images/s, p50/p99 latency, and where
# the server's resident memory goes (lib/memory-breakdown.sh: RSS, Java heap committed, the rest of
# the JVM, memory outside the JVM, NIO buffers; the server runs with Native Memory Tracking); at
# the end the hostile answers by status and the growth of RSS and of memory outside the JVM after
# the first quarter (warm-up).
#   bash benchmarks/scripts/server-soak.sh MODEL_REPOSITORY MODEL DICOM_DIR [MINUTES=30] [CLIENTS=8] [HOSTILE_PER_SECOND=1]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; minutes="${4:-30}"; clients="${5:-8}"; hostile_rate="${6:-1}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
port=$((20000 + RANDOM % 20000))
work=$(mktemp -d)
# Through the launcher, so the server gets the allocator and kernel settings users get (jemalloc).
ROENTGEN_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${ROENTGEN_JAVA_OPTS:-}" \
  ./roentgen serve --model-repository "$repo" --port "$port" --devices cpu >"$work/server.log" 2>&1 &
server=$!
# SOAK_SERVER_LOG=FILE keeps the server's log, with what it prints at exit (jemalloc's statistics
# when MALLOC_CONF has stats_print:true).
trap 'kill "$server" "${hostile:-}" 2>/dev/null || true; wait "$server" 2>/dev/null || true
      [[ -z "${SOAK_SERVER_LOG:-}" ]] || cp "$work/server.log" "$SOAK_SERVER_LOG"; rm -rf "$work"' EXIT
until grep -q "serving" "$work/server.log"; do
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
python3 benchmarks/scripts/hostile_bodies.py dicom/src/test/resources/fixtures "$work/hostile" 400
url="http://127.0.0.1:$port"
(
  i=0
  while true; do
    f=$(ls "$work/hostile" | sed -n "$(( i % 400 + 1 ))p")
    curl -s -o /dev/null -w '%{http_code}\n' -m 60 -H 'Content-Type: application/dicom' \
      --data-binary @"$work/hostile/$f" "$url/v1/models/$model/classify" >>"$work/hostile.codes" || echo "000" >>"$work/hostile.codes"
    i=$((i + 1))
    sleep "$(echo "1 / $hostile_rate" | bc -l)"
  done
) &
hostile=$!
# shellcheck source=benchmarks/scripts/lib/memory-breakdown.sh
source benchmarks/scripts/lib/memory-breakdown.sh
segments=$(( (minutes + 1) / 2 ))
echo "# segment  end_s    sent  answered  non200  lost  images/s  p50_ms  p99_ms  reload  $(memory_header)"
start=$(date +%s)
samples=(); outside=()
for s in $(seq 1 "$segments"); do
  java -cp "$cp" io.roentgen.cli.Main bench serve --url "$url" --model "$model" --dicom "$dicom" \
    --concurrency "$clients" --warmup 0s --duration 2m --repetitions 1 --json >"$work/segment.json" 2>"$work/segment.err" &
  load=$!
  sleep 60
  reload=$(curl -s -o /dev/null -w '%{http_code}' -m 120 -X POST "$url/v2/repository/models/$model/load")
  wait "$load" || true
  mem=$(memory_columns "$server"); samples+=("${mem%% *}"); outside+=("$(echo "$mem" | cut -d' ' -f4)")
  python3 - "$work/segment.json" "$s" "$(( $(date +%s) - start ))" "$reload" "$mem" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
row = report["rows"][0]
errors = row.get("errors") or {}
sent = row.get("requests", 0)
lost = errors.get("0", 0)  # no HTTP answer at all
failed = sum(errors.values()) - lost
def med(k):
    v = row.get(k)
    return v["median"] if isinstance(v, dict) and v.get("median") is not None else float("nan")
print(f"{sys.argv[2]:>9}  {sys.argv[3]:>5}  {sent:>6}  {sent - lost:>8}  {failed:>6}  {lost:>4}  {med('imagesPerSecond'):8.1f}  "
      f"{med('p50Ms'):6.1f}  {med('p99Ms'):6.1f}  {sys.argv[4]:>6}  {sys.argv[5]}")
PY
done
kill "$hostile" 2>/dev/null || true
echo "# hostile bodies by status: $(sort "$work/hostile.codes" | uniq -c | awk '{printf "%s x%s  ", $2, $1}')"
n=${#samples[@]}; warm=$(( n / 4 ))
echo "# RSS after warm-up (segment $((warm + 1)) of $n): first ${samples[$warm]} MiB, last ${samples[$((n - 1))]} MiB, max $(printf '%s\n' "${samples[@]:$warm}" | sort -n | tail -1) MiB"
echo "# outside the JVM after warm-up: first ${outside[$warm]} MiB, last ${outside[$((n - 1))]} MiB, max $(printf '%s\n' "${outside[@]:$warm}" | sort -n | tail -1) MiB"
grep -c "OutOfMemoryError\|Exception in thread" "$work/server.log" | sed 's/^/# server log lines with OutOfMemoryError or uncaught exceptions: /' || true
