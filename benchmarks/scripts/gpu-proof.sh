#!/usr/bin/env bash
# One pass of the GPU checks of issue 22, for a machine with NVIDIA GPUs; about 10 minutes.
#   bash benchmarks/scripts/gpu-proof.sh [OUT_DIR]
# Each step's output goes to OUT_DIR/<step>.log; a summary of what passed and failed is printed
# at the end (and kept in OUT_DIR/summary.txt) for BENCHMARKS.md. Steps go on after a failure.
# Needs the CUDA libtorch as `./roentgen --gpu` loads it (see README, GPU set-up) and, for the
# PyTorch side of the benchmark, BENCH_PYTHON pointing at a CUDA build of PyTorch.
set -uo pipefail
cd "$(dirname "$0")/../.."
out="${1:-gpu-proof-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
summary="$out/summary.txt"
: > "$summary"

step() {  # step NAME TIMEOUT_S COMMAND...
  local name="$1" limit="$2"; shift 2
  local start; start=$(date +%s)
  timeout "$limit" "$@" > "$out/$name.log" 2>&1
  local rc=$?
  printf '%-28s %s (%ss)\n' "$name" "$([[ $rc == 0 ]] && echo ok || echo "FAILED rc=$rc")" "$(( $(date +%s) - start ))" | tee -a "$summary"
}

nvidia-smi --query-gpu=name,compute_cap,memory.total --format=csv > "$out/nvidia-smi.csv" 2>&1
gpus=$(nvidia-smi -L 2>/dev/null | wc -l)
echo "GPUs: $gpus ($(tail -n +2 "$out/nvidia-smi.csv" | paste -sd';'))" | tee -a "$summary"

step gpus 120 ./roentgen --gpu gpus
step info 120 ./roentgen --gpu info
step demo 300 ./roentgen --gpu demo --devices gpu:0
step mvn-verify-engine-models 600 mvn -o -q -pl engine,models -am verify -DskipITs
for precision in fp32 bf16 fp16; do
  step "bench-$precision" 600 env ROENTGEN_GPU=1 BENCH_PRECISION="${precision/fp32/none}" \
    bash benchmarks/scripts/train-infer-vs-pytorch.sh 1 4 resnet18
done
if [[ "$gpus" -gt 1 ]]; then
  ./roentgen --gpu synth --out "$out/synth" --patients 60 > "$out/synth.log" 2>&1
  step multi-gpu-train 600 ./roentgen --gpu train --data "$out/synth/manifest.csv" --arch small --image-size 64 \
    --epochs 2 --batch-size 32 --devices gpu --out "$out/multi-gpu-run"
else
  echo "multi-gpu-train              skipped (one GPU)" | tee -a "$summary"
fi
echo "logs in $out"
