#!/usr/bin/env bash
# Chooses EngineSettings' thread defaults: ResNet inference (1x3x224x224, batch 1, CPU) under
# DJL's own defaults and under several intra-/inter-op settings, one JVM each, then the same
# shape in PyTorch eager (Debian's python3-torch) as the reference. Figures go to BENCHMARKS.md.
#   bash benchmarks/scripts/thread-defaults.sh [iterations] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
iterations="${1:-50}"
rounds="${2:-3}"
mvn -B -q -o compile dependency:build-classpath -pl benchmarks -am \
  -Dmdep.outputFile="$PWD/target/bench.cp" -Dmdep.includeScope=test >/dev/null
cp="benchmarks/target/classes:engine/target/classes:$(cat target/bench.cp 2>/dev/null || cat benchmarks/target/bench.cp)"
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
m = torchvision.models.resnet18(num_classes=2).eval()
x = torch.randn(1, 3, 224, 224)
with torch.inference_mode():
    for _ in range(10): m(x)
    t = []
    for _ in range(n):
        t0 = time.perf_counter(); m(x); t.append((time.perf_counter() - t0) * 1000)
t.sort()
print(f"{'PyTorch eager ' + torch.__version__ + f' resnet18, {torch.get_num_threads()} threads':55s} median {t[n//2]:7.2f} ms  p10 {t[n//10]:7.2f}  p90 {t[n*9//10]:7.2f}")
PY
done
