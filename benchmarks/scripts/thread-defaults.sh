#!/usr/bin/env bash
# Chooses EngineSettings' thread defaults: ResNet-18 inference (1x1x224x224, batch 1, CPU) under
# DJL's own defaults and under several intra-/inter-op settings, one JVM each, then the same
# shape in PyTorch eager (Debian's python3-torch) as the reference. Figures go to BENCHMARKS.md.
#   bash benchmarks/scripts/thread-defaults.sh [iterations] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
iterations="${1:-50}"
rounds="${2:-3}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
bench() { java -cp "$cp" io.roentgen.benchmarks.ThreadSettingsBench "$@" "$iterations" 2>/dev/null; }
cores=$(nproc)
for round in $(seq "$rounds"); do
  echo "# round $round ($cores cores)"
  bench --djl-defaults
  for inter in 1 "$cores"; do
    for intra in 1 "$cores"; do
      ROENTGEN_INTER_OP_THREADS=$inter ROENTGEN_INTRA_OP_THREADS=$intra bench
    done
  done
  /usr/bin/python3 - "$iterations" <<'PY'
import sys, time, statistics, torch, torchvision
n = int(sys.argv[1])
import os; torch.set_num_threads(os.cpu_count())
m = torchvision.models.resnet18(num_classes=2)
m.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)  # as Roentgen's 1-channel resnet18
m = m.eval()
x = torch.randn(1, 1, 224, 224)
with torch.inference_mode():
    for _ in range(10): m(x)
    t = []
    for _ in range(n):
        t0 = time.perf_counter(); m(x); t.append((time.perf_counter() - t0) * 1000)
t.sort()
print(f"{'PyTorch eager ' + torch.__version__ + f' resnet18, {torch.get_num_threads()} threads':55s} median {t[n//2]:7.2f} ms  p10 {t[n//10]:7.2f}  p90 {t[n*9//10]:7.2f}")
PY
done
