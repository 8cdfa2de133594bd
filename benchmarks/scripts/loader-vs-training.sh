#!/usr/bin/env bash
# Is the data loader ever the bottleneck? Images/s delivered by the loader (decode + pipeline +
# resize to 224, cold and from the float16 tensor cache) for 512x512 CT and 2048x2048 CR
# collections, against the images/s ResNet-18 training consumes at 224x224, batch 32, on the same
# machine in the same run. Prints a markdown table.
#   bash benchmarks/scripts/loader-vs-training.sh [threads]
set -euo pipefail
cd "$(dirname "$0")/../.."
threads="${1:-$(nproc)}"
work="${TMPDIR:-/tmp}/roentgen-loader-bench"
rm -rf "$work" && mkdir -p "$work"
./roentgen --version >/dev/null
./roentgen synth --out "$work/ct512" --patients 60 --modality CT --size 512 --seed 1 >/dev/null
./roentgen synth --out "$work/cr2048" --patients 12 --modality CR --size 2048 --seed 2 >/dev/null
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
ct=$(java -cp "$cp" io.roentgen.benchmarks.loader.LoaderBench "$work/ct512/manifest.csv" 224 "$threads" 2>/dev/null)
cr=$(java -cp "$cp" io.roentgen.benchmarks.loader.LoaderBench "$work/cr2048/manifest.csv" 224 "$threads" 2>/dev/null)
./roentgen train --data "$work/ct512/manifest.csv" --arch resnet18 --image-size 224 --batch-size 32 --epochs 1 \
  --augment off --out "$work/run" >/dev/null 2>&1
/usr/bin/python3 - "$ct" "$cr" "$work/run/metrics.jsonl" "$threads" <<'PY'
import json, sys
ct, cr = json.loads(sys.argv[1]), json.loads(sys.argv[2])
train = [json.loads(l) for l in open(sys.argv[3])][-1]
rate = next(train[k] for k in ("imagesPerSecond", "trainImagesPerSecond", "images_per_second") if k in train)
print(f"ResNet-18 training consumes {rate:.1f} images/s (224x224, batch 32, CPU); loader threads {sys.argv[4]}")
print("| collection | images | loader cold img/s | loader cached img/s | cold / training | cached / training |")
print("|---|---:|---:|---:|---:|---:|")
for name, r in (("CT 512x512", ct), ("CR 2048x2048", cr)):
    print(f"| {name} | {r['images']} | {r['coldImagesPerSecond']:.0f} | {r['cachedImagesPerSecond']:.0f} | "
          f"{r['coldImagesPerSecond'] / rate:.1f}x | {r['cachedImagesPerSecond'] / rate:.1f}x |")
PY
