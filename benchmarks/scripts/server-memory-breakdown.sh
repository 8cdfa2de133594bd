#!/usr/bin/env bash
# Where a serving process's resident memory goes under load: starts `roentgen serve` (through the
# launcher, so with the allocator users get) with Native Memory Tracking, loads it with
# `roentgen bench serve` for SEGMENTS one-minute segments (no reloads, no hostile bodies), and
# after each prints RSS beside what the JVM accounts for: Java heap committed, the rest of the
# JVM's committed memory (threads, code, GC, class metadata, NIO direct buffers under "Other"),
# and RSS minus all of it, which is memory the JVM does not know about (libtorch and the C
# allocator). A column that grows in step with RSS names the owner of the growth.
#   bash benchmarks/scripts/server-memory-breakdown.sh MODEL_REPOSITORY MODEL DICOM_DIR [SEGMENTS=10] [CLIENTS=8] [EXTRA_JVM_FLAGS]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; segments="${4:-10}"; clients="${5:-8}"; extra="${6:-}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
port=$((20000 + RANDOM % 20000))
work=$(mktemp -d)
ROENTGEN_JAVA_OPTS="-XX:NativeMemoryTracking=summary $extra" \
  ./roentgen serve --model-repository "$repo" --port "$port" --devices cpu >"$work/server.log" 2>&1 &
launcher=$!
trap 'kill "$launcher" 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q "serving" "$work/server.log"; do
  kill -0 "$launcher" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.5
done
server=$(pgrep -f "io.roentgen.cli.Main serve.*--port $port" | head -1)
url="http://127.0.0.1:$port"
# shellcheck source=benchmarks/scripts/lib/memory-breakdown.sh
source benchmarks/scripts/lib/memory-breakdown.sh
echo "# segment  requests  images/s  $(memory_header)"
total_requests=0
for s in $(seq 1 "$segments"); do
  java -cp "$cp" io.roentgen.cli.Main bench serve --url "$url" --model "$model" --dicom "$dicom" \
    --concurrency "$clients" --warmup 0s --duration 1m --repetitions 1 --json >"$work/segment.json" 2>"$work/segment.err"
  read -r requests ips < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"][0]; print(r.get("requests",0), r["imagesPerSecond"]["median"])' "$work/segment.json")
  total_requests=$((total_requests + requests))
  printf '%9s  %8s  %8.1f  %s\n' "$s" "$total_requests" "$ips" "$(memory_columns "$server")"
done
