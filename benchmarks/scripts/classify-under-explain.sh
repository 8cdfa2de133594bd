#!/usr/bin/env bash
# Classification latency at 8 clients with and without explanations running beside it (issue 21:
# "classification p99 at 8 clients is unchanged within noise while explanations run"). One
# `roentgen serve`; `roentgen bench serve` loads its classify route in its own JVM, alternately
# alone and while EXPLAINERS curl loops post the same instance to /v1/models/M/explain without
# pause (the server explains on one worker thread with its own bounded queue; a full queue answers
# 503). The worker explains for at most EXPLAIN_SHARE of its time (serve's --explain-share, default
# 0.25; 1 = never rests). Order: a warm-up, then alone, explain, alone, explain. Figures go to BENCHMARKS.md.
#   [EXPLAIN_SHARE=0.25] bash benchmarks/scripts/classify-under-explain.sh MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=10] [CLIENTS=8] [EXPLAINERS=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; seconds="${4:-10}"; clients="${5:-8}"; explainers="${6:-2}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
port=$((20000 + RANDOM % 20000)); url="http://127.0.0.1:$port"
work=$(mktemp -d)
# The server through ./roentgen, as users run it (its OpenMP and malloc settings; a bare `java`
# leaves libgomp spinning at its default); ./roentgen execs java, so $! is the JVM.
./roentgen serve --model-repository "$repo" --port "$port" --devices cpu \
  --queue-capacity 4096 --explain-share "${EXPLAIN_SHARE:-0.25}" >"$work/server.log" 2>&1 &
server=$!
loops=()
stop_loops() { for p in "${loops[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; loops=(); }
trap 'stop_loops; kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q "serving" "$work/server.log"; do kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }; sleep 0.5; done
# One explanation first, so that loading the explainer is not inside a measured run.
curl -sf -o /dev/null -X POST -H 'Content-Type: application/dicom' --data-binary @"$dicom" "$url/v1/models/$model/explain"

classify() { # label
  echo "# $1"
  java -cp "$cp" io.roentgen.cli.Main bench serve --url "$url" --model "$model" --dicom "$dicom" \
    --concurrency "$clients" --duration "${seconds}s" --warmup 5s --repetitions 3 \
    || echo "# bench serve exited $? (failed requests above)"
}
with_explanations() {
  : >"$work/codes"
  for ((i = 0; i < explainers; i++)); do
    ( while :; do
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/dicom' \
          --data-binary @"$dicom" "$url/v1/models/$model/explain" >>"$work/codes" || true
      done ) &
    loops+=("$!")
  done
  local start=$SECONDS
  classify "classify with $explainers explain clients"
  stop_loops
  local elapsed=$((SECONDS - start)) ok
  ok=$(grep -c '^200$' "$work/codes" || true)
  echo "# explanations: $ok answered 200 in ${elapsed} s ($(awk -v n="$ok" -v s="$elapsed" 'BEGIN { printf "%.1f", n / s }')/s);" \
    "other codes: $(grep -v '^200$' "$work/codes" | sort | uniq -c | tr -s ' ' | tr '\n' ';' || true)"
}
# An unmeasured classify load first: in the first sessions the first "alone" run was the slowest
# of all (488 against 1042 images/s later in the same session), warming up rather than measuring.
java -cp "$cp" io.roentgen.cli.Main bench serve --url "$url" --model "$model" --dicom "$dicom" \
  --concurrency "$clients" --duration 15s --warmup 5s --repetitions 1 >/dev/null
classify "classify alone"
with_explanations
classify "classify alone"
with_explanations
