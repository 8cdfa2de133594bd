#!/usr/bin/env bash
# The inference server against the in-process batched predictor, with the load generator in its
# own JVM: `roentgen serve` (batching on, then off) loaded by `roentgen bench serve` at 1, 8 and 32
# clients, and ServerBenchmark's in-process row (one thread calling Classifier.predict on full
# batches of the same preprocessed image) before and after. Figures go to BENCHMARKS.md.
#   bash benchmarks/scripts/server-vs-inprocess.sh MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=20] [MAX_BATCH=32] [SERVE FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; seconds="${4:-20}"; max="${5:-32}"; shift $(( $# < 5 ? $# : 5 ))
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
inprocess() {
  java -cp "$cp" io.roentgen.benchmarks.serve.ServerBenchmark "$repo" "$model" "$dicom" "$seconds" "$max" 1 inprocess 2>/dev/null | tail -1
}
served() { # max batch size, then extra serve flags
  local batch="$1"; shift
  local port=$((20000 + RANDOM % 20000)) log; log=$(mktemp)
  java -cp "$cp" io.roentgen.cli.Main serve --model-repository "$repo" --port "$port" --devices cpu \
    --max-batch-size "$batch" --max-queue-delay-ms "$([ "$batch" = 1 ] && echo 0 || echo 5)" --queue-capacity 4096 "$@" >"$log" 2>&1 &
  local server=$!
  until grep -q "serving" "$log"; do kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }; sleep 0.5; done
  echo "# server, max batch $batch $*"
  java -cp "$cp" io.roentgen.cli.Main bench serve --url "http://127.0.0.1:$port" --model "$model" --dicom "$dicom" \
    --concurrency 1,8,32 --duration "${seconds}s" --warmup 5s
  kill "$server"; wait "$server" || true; rm -f "$log"
}
echo "# in-process, batch $max"; inprocess
served "$max" "$@"
served 1 "$@"
echo "# in-process, batch $max"; inprocess
