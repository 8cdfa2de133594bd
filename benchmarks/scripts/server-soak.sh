#!/usr/bin/env bash
# Native memory over a long run: starts `roentgen serve` on a model repository, loads it with
# `roentgen bench serve` (a separate JVM) for MINUTES, samples the server's resident memory
# (VmRSS) every 10 s, and prints the samples and the growth after the first quarter (warm-up).
#   bash benchmarks/scripts/server-soak.sh MODEL_REPOSITORY MODEL DICOM_DIR [MINUTES=10] [CLIENTS=8]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; minutes="${4:-10}"; clients="${5:-8}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
port=$((20000 + RANDOM % 20000))
log=$(mktemp)
java -cp "$cp" io.roentgen.cli.Main serve --model-repository "$repo" --port "$port" --devices cpu >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q "serving" "$log"; do
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.5
done
java -cp "$cp" io.roentgen.cli.Main bench serve --url "http://127.0.0.1:$port" --model "$model" --dicom "$dicom" \
  --concurrency "$clients" --warmup 0s --duration "${minutes}m" >"$log.bench" 2>&1 &
load=$!
rss() { awk '/VmRSS/ {print $2}' "/proc/$server/status"; }
samples=()
echo "# seconds  server VmRSS (MiB)"
start=$(date +%s)
while kill -0 "$load" 2>/dev/null; do
  now=$(( $(date +%s) - start ))
  kib=$(rss)
  samples+=("$kib")
  printf "%8d  %8.1f\n" "$now" "$(echo "$kib / 1024" | bc -l)"
  sleep 10
done
cat "$log.bench"; rm -f "$log.bench"
n=${#samples[@]}
warm=$(( n / 4 ))
first=${samples[$warm]}; last=${samples[$((n - 1))]}
max=$(printf "%s\n" "${samples[@]:$warm}" | sort -n | tail -1)
printf "# after warm-up (sample %d of %d): first %.1f MiB, last %.1f MiB, max %.1f MiB, growth %+.1f MiB\n" \
  "$warm" "$n" "$(echo "$first/1024" | bc -l)" "$(echo "$last/1024" | bc -l)" "$(echo "$max/1024" | bc -l)" \
  "$(echo "($last-$first)/1024" | bc -l)"
