#!/usr/bin/env bash
# Spark scale-out on one machine: images/s of ScoreJob under local[1] and local[2] against
# `roentgen predict` on the same files with the same bundle, and the scaling efficiency
# (local[2] / (2 x local[1])). Spark runs from the shaded job jar through SparkSubmit's main class
# with Spark's Maven artifacts on the classpath (no Spark distribution needed); rows go to BENCHMARKS.md.
#   bash benchmarks/scripts/spark-scaling.sh [patients] [size] [arch]
# Defaults: 200 patients (about 400 images) of 256 x 256 CT, a 1-epoch `small` at 64 px; BUNDLE=DIR
# scores with that bundle instead (the arch argument then only labels the output).
set -euo pipefail
cd "$(dirname "$0")/../.."
patients="${1:-200}"
size="${2:-256}"
arch="${3:-small}"
work="$(mktemp -d "${TMPDIR:-/tmp}/roentgen-spark-scaling.XXXXXX")"
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT

./roentgen --version >/dev/null   # builds the CLI jar if a source changed
# The Spark JVMs get the native settings ./roentgen gives predict (jemalloc with freed pages kept,
# libgomp's spin count, AVX-512 kernels where the CPU has them). Without them, local[1]'s forward
# passes ran on glibc's malloc, whose fresh mmap per large tensor page-faults every activation.
# On a cluster the same variables go to executors as spark.executorEnv.* (README, Apache Spark).
# shellcheck source=cli/src/main/sh/native-memory.sh
source cli/src/main/sh/native-memory.sh
# shellcheck source=cli/src/main/sh/cpu-kernels.sh
source cli/src/main/sh/cpu-kernels.sh
# shellcheck source=cli/src/main/sh/openmp.sh
source cli/src/main/sh/openmp.sh
# The job jar, and Spark's classpath: the spark module's test classpath less our modules and DJL
# (the job jar brings those). Our modules resolve from the reactor; spark, last, writes the file last.
mvn -B -o -q -pl spark -am package -DskipTests dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp.txt" >"$work/build.log" 2>&1
spark_cp="$(tr ':' '\n' <"$work/cp.txt" | grep -v -e "^$PWD/" -e '/io/roentgen/' -e '/ai/djl/' -e '/org/junit/' \
  -e '/opentest4j/' | paste -sd:)"
opens="$(sed -n 's:.*<spark.module.options>\(--.*\)</spark.module.options>.*:\1:p' spark/pom.xml)"

./roentgen synth --out "$work/data" --patients "$patients" --size "$size" >/dev/null
if [[ -n "${BUNDLE:-}" ]]; then   # a bundle of your own (e.g. resnet18 at 224 px, where scoring, not Spark, is the work)
  bundle="$BUNDLE"
else
  ./roentgen train --data "$work/data/manifest.csv" --arch "$arch" --image-size 64 --epochs 1 --out "$work/run" >/dev/null
  bundle="$work/run/bundle"
fi
files=$(find "$work/data" -name '*.dcm' | wc -l)
cores=$(nproc)

rate() { awk -v n="$files" -v s="$1" 'BEGIN { printf "%.1f", n / s }'; }

predict() {   # $1 = libtorch intra-op threads, then an optional command prefix; prints the whole command's seconds
  local threads="$1" start; shift; start=$(date +%s.%N)
  ROENTGEN_INTRA_OP_THREADS="$threads" "$@" ./roentgen predict "$work/data" --model "$bundle" --batch-size 16 --format csv >/dev/null
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'
}
# One core against local[1] (one task slot, spark.task.cpus=1: one libtorch thread), all cores as users run it.
predict1_s=$(predict 1)
predict_s=$(predict "$cores")
# predict on one intra-op thread still decodes on the other cores; pinned to one core (taskset),
# it and local[1] have the same one core, JVM threads included.
pinned_predict_s=$(predict 1 taskset -c 0)

submit() {   # $1 = master, then an optional command prefix; prints the job's own seconds (from its summary)
  local master="$1"; shift
  # shellcheck disable=SC2086
  "$@" java -Dai.djl.offline=true $opens -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit --master "$master" \
    --class io.roentgen.spark.ScoreJob --jars spark/target/native/pytorch-native-cpu.jar \
    --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 spark/target/roentgen-spark.jar \
    --input "$work/data" --filter '*.dcm' --model "$bundle" --output "$work/out-${master//[^0-9]/}-$#.parquet" \
    --partitions 8 --batch-size 16 2>"$work/spark-${master//[^0-9]/}-$#.log" | sed -n 's/.* in \([0-9.]*\) s;.*/\1/p'
}
one_s=$(submit 'local[1]')
two_s=$(submit 'local[2]')
pinned_one_s=$(submit 'local[1]' taskset -c 0)

echo "# $files images of ${size}x${size} CT, $arch at 64 px, $cores cores, $(date -u +%Y-%m-%d)"
echo "| runner | seconds | images/s |"
echo "|---|---|---|"
echo "| roentgen predict, 1 intra-op thread (whole command, JVM start and model load included) | $predict1_s | $(rate "$predict1_s") |"
echo "| roentgen predict, $cores intra-op threads (whole command) | $predict_s | $(rate "$predict_s") |"
echo "| ScoreJob local[1] (job only, Spark start excluded) | $one_s | $(rate "$one_s") |"
echo "| ScoreJob local[2] (job only) | $two_s | $(rate "$two_s") |"
echo "| roentgen predict, 1 intra-op thread, pinned to one core (taskset -c 0) | $pinned_predict_s | $(rate "$pinned_predict_s") |"
echo "| ScoreJob local[1], pinned to one core (job only) | $pinned_one_s | $(rate "$pinned_one_s") |"
awk -v a="$one_s" -v b="$two_s" 'BEGIN { printf "scaling local[2]/local[1]: %.2fx, efficiency %.0f%%\n", a / b, 50 * a / b }'
awk -v a="$one_s" -v p="$predict1_s" 'BEGIN { printf "local[1] against predict on one thread: %.2fx its time\n", a / p }'
awk -v a="$pinned_one_s" -v p="$pinned_predict_s" 'BEGIN { printf "on one core each (pinned): local[1] %.2fx predict'"'"'s time\n", a / p }'
# Where local[1]'s task time went (PartitionScorer's line per task), summed over its tasks.
sed -n 's/.*partition [0-9]*: .*, \([0-9.]*\) s: model \([0-9.]*\) s, read and preprocess \([0-9.]*\) s, forward \([0-9.]*\) s, rest \([0-9.]*\) s/\1 \2 \3 \4 \5/p' \
  "$work/spark-1-0.log" | awk '{ for (i = 1; i <= 5; i++) t[i] += $i } END { printf "local[1] tasks: %.1f s in all: model %.1f s, read and preprocess %.1f s, forward %.1f s, rest %.1f s\n", t[1], t[2], t[3], t[4], t[5] }'
