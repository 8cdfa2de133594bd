#!/usr/bin/env bash
# Warm every batch size at load, or pad to preferred sizes? Each strategy in a fresh JVM (PyTorch
# keeps some per-shape work process-wide), strategies interleaved, ROUNDS rounds; for TorchScript
# bundles also "no warm-up" with DJL's graph optimiser off (-Dai.djl.pytorch.graph_optimizer=false).
# Columns: io.roentgen.benchmarks.serve.WarmupBenchmark. Figures go to BENCHMARKS.md.
#   bash benchmarks/scripts/server-warmup.sh BUNDLE_DIR [MAX_BATCH=32] [PREFERRED=1,2,4,8,16,32] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
bundle="$1"; max="${2:-32}"; preferred="${3:-1,2,4,8,16,32}"; rounds="${4:-3}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
torchscript=$(grep -q '"format": *"torchscript"' "$bundle/model.json" && echo yes || echo no)
header=1
run() {
  if [ "$header" = 1 ]; then header=0; else export WARMUP_BENCH_NO_HEADER=1; fi
  java "$@" 2>/dev/null
}
for round in $(seq "$rounds"); do
  for strategy in none every padded; do
    run -cp "$cp" io.roentgen.benchmarks.serve.WarmupBenchmark "$bundle" "$max" "$preferred" 1 "$strategy"
  done
  if [ "$torchscript" = yes ]; then
    run -Dai.djl.pytorch.graph_optimizer=false -cp "$cp" io.roentgen.benchmarks.serve.WarmupBenchmark "$bundle" "$max" "$preferred" 1 none
  fi
done
