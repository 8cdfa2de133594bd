#!/usr/bin/env bash
# Training and inference images/s, Roentgen (DJL + libtorch 2.7.1) against PyTorch eager (Debian's
# python3-torch) on the same architecture, batch, input and thread count, alternating in one run.
#   bash benchmarks/scripts/train-infer-vs-pytorch.sh [rounds] [steps] [archs...]
# Roentgen runs with the allocator and CPU-kernel settings ./roentgen sets
# (cli/src/main/sh/native-memory.sh, cpu-kernels.sh). PyTorch runs twice per round: as installed,
# and with those same settings, so that the table shows what they give each side.
# ROENTGEN_JAVA_OPTS (JVM flags, e.g. -Droentgen.inplaceOps=false or -Droentgen.channelsLast=false)
# applies to the Roentgen side.
# GPU: ROENTGEN_GPU=1 (or PYTORCH_LIBRARY_PATH) runs both sides on the first GPU, Roentgen with the
# CUDA libtorch as `./roentgen --gpu` loads it, PyTorch with BENCH_PYTHON (a CUDA build of PyTorch;
# Debian's python3-torch is CPU-only).
# Low precision: each round also runs both sides with BENCH_PRECISION (default bf16; Roentgen under
# its Autocast, training as `roentgen train --precision` does: autocast forward and backward on fp32
# master weights, fp16 with loss scaling; PyTorch under torch.autocast), as the table's last
# columns; BENCH_PRECISION=none skips them.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"; steps="${2:-4}"; shift 2 || true
archs=("${@:-resnet18 densenet121}")
read -r -a archs <<< "${archs[*]}"
./roentgen --version >/dev/null
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
python="${BENCH_PYTHON:-/usr/bin/python3}"
if [[ "${ROENTGEN_GPU:-0}" == "1" || -n "${PYTORCH_LIBRARY_PATH:-}" ]]; then
  cp="cli/target/roentgen.jar"
  export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}" PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
  [[ -z "${PYTORCH_LIBRARY_PATH:-}" ]] && export ROENTGEN_OFFLINE="${ROENTGEN_OFFLINE:-false}"
  export BENCH_DEVICE=gpu
fi
low="${BENCH_PRECISION:-bf16}"
unset BENCH_PRECISION
out="$(mktemp)"
for r in $(seq "$rounds"); do
  for a in "${archs[@]}"; do
    # shellcheck disable=SC2086
    (source cli/src/main/sh/native-memory.sh; source cli/src/main/sh/cpu-kernels.sh
     java ${ROENTGEN_JAVA_OPTS:-} -cp "$cp" io.roentgen.benchmarks.training.TrainInferBench "$a" 224 32 "$steps") 2>/dev/null >> "$out"
    "$python" benchmarks/scripts/train_infer_pytorch.py "$a" 224 32 "$steps" 2>/dev/null >> "$out"
    (source cli/src/main/sh/native-memory.sh; source cli/src/main/sh/cpu-kernels.sh
     BENCH_VARIANT=same-settings "$python" benchmarks/scripts/train_infer_pytorch.py "$a" 224 32 "$steps") 2>/dev/null >> "$out"
    if [[ "$low" != "none" ]]; then
      # shellcheck disable=SC2086
      (source cli/src/main/sh/native-memory.sh; source cli/src/main/sh/cpu-kernels.sh
       BENCH_PRECISION="$low" java ${ROENTGEN_JAVA_OPTS:-} -cp "$cp" io.roentgen.benchmarks.training.TrainInferBench "$a" 224 32 "$steps") 2>/dev/null >> "$out"
      BENCH_PRECISION="$low" "$python" benchmarks/scripts/train_infer_pytorch.py "$a" 224 32 "$steps" 2>/dev/null >> "$out"
    fi
  done
done
/usr/bin/python3 - "$out" "$(nproc)" "${BENCH_DEVICE:-cpu}" "$low" <<'PY'
import json, statistics, sys, collections
rows = collections.defaultdict(list)
low = sys.argv[4]
for line in open(sys.argv[1]):
    d = json.loads(line)
    side = "roentgen" if d["engine"] == "roentgen" else "pytorch-" + d.get("variant", "default")
    if d.get("precision", "fp32") != "fp32":
        side += "-low"
    rows[(d["arch"], side)].append(d)
device = "GPU" if sys.argv[3] == "gpu" else "CPU"
print(f"1x224x224 input, 2 classes, batch 32, {device}, {sys.argv[2]} cores; medians over rounds (images/s)")
lowcols = "" if low == "none" else (f" Roentgen {low} | PyTorch {low} autocast | Roentgen / PyTorch, {low} "
                                    f"| Roentgen {low} / Roentgen fp32 |")
print("| arch | metric | Roentgen | PyTorch eager | PyTorch eager, same allocator and kernel settings "
      "| Roentgen / PyTorch | Roentgen / PyTorch, same settings |" + lowcols)
print("|---|---|---:|---:|---:|---:|---:|" + ("" if low == "none" else "---:|---:|---:|---:|"))
for arch in dict.fromkeys(k[0] for k in rows):
    for key, name in (("trainImagesPerSecond", "training, batch 32"), ("inferBatch1ImagesPerSecond", "inference, batch 1"),
                      ("inferBatchImagesPerSecond", "inference, batch 32")):
        ours = statistics.median(d[key] for d in rows[(arch, "roentgen")])
        ref = statistics.median(d[key] for d in rows[(arch, "pytorch-default")])
        same = statistics.median(d[key] for d in rows[(arch, "pytorch-same-settings")])
        cells = ""
        if low != "none":
            ours_low = statistics.median(d[key] for d in rows[(arch, "roentgen-low")])
            ref_low = statistics.median(d[key] for d in rows[(arch, "pytorch-default-low")])
            cells = f" {ours_low:.1f} | {ref_low:.1f} | {ours_low / ref_low:.2f} | {ours_low / ours:.2f} |"
        print(f"| {arch} | {name} | {ours:.1f} | {ref:.1f} | {same:.1f} | {ours / ref:.2f} | {ours / same:.2f} |" + cells)
PY
