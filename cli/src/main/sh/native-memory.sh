# Sourced by ./roentgen and the benchmark scripts: which malloc serves libtorch's tensors, and how.
#
# glibc's defaults serve an allocation over the mmap threshold (at most 32 MB; the activations of a
# batch are 25-400 MB) with a fresh mmap and unmap it on free, so every large tensor of every step
# is page-faulted in again (about 9 us a page on the 2-core benchmark VM). docs/DECISIONS.md 28, 33.
#
# 1. jemalloc where it is installed (Debian: libjemalloc2), as PyTorch's CPU tuning guide
#    advises, with freed pages kept for reuse (no decay). It keeps large and small allocations
#    apart, so the JVM's own allocations cannot fragment the tensor heap: DenseNet-121 inference
#    at batch 32 0.92 s against 1.23-1.35 s with tuned glibc, ResNet-18 training at 12% lower
#    peak RSS.
# 2. Otherwise glibc with one arena, no mmap and no trimming (ResNet-18 training 2.2x faster than
#    glibc's defaults at the same peak RSS).
# Either way resident memory stays at its peak. That suits a job that ends; a server is different:
# kept pages scatter over jemalloc's arenas and RSS crept up by about 15 MiB per 2-minute soak
# segment. ROENTGEN_FREED_MEMORY_DECAY_MS (the launcher sets 10000 for `serve`) returns pages left
# unused that long, and RSS stays flat (BENCHMARKS.md, soak; docs/DECISIONS.md, jemalloc decay).
# ROENTGEN_KEEP_FREED_MEMORY=0 keeps the system defaults; ROENTGEN_JEMALLOC=PATH names another
# libjemalloc, ROENTGEN_JEMALLOC=none skips it; a value the user set for any of the variables wins.
if [[ "${ROENTGEN_KEEP_FREED_MEMORY:-1}" == "1" ]]; then
  # $HOSTTYPE is bash's `uname -m` without a fork (x86_64, aarch64).
  roentgen_jemalloc="${ROENTGEN_JEMALLOC:-/usr/lib/${HOSTTYPE:-$(uname -m)}-linux-gnu/libjemalloc.so.2}"
  if [[ -r "$roentgen_jemalloc" ]]; then
    if [[ "${LD_PRELOAD:-}" != *jemalloc* ]]; then
      export LD_PRELOAD="$roentgen_jemalloc${LD_PRELOAD:+:$LD_PRELOAD}"
    fi
    roentgen_decay="${ROENTGEN_FREED_MEMORY_DECAY_MS:--1}"
    if [[ "$roentgen_decay" == "-1" ]]; then
      export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
    else
      # oversize_threshold:0: without it, allocations over 8 MiB (a 224x224 batch's activations) go
      # to jemalloc's dedicated huge arena, which returns them at once when any decay is set, and
      # resnet18 batch-1 serving fell from 23 to 14-18 requests/s.
      export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:$roentgen_decay,muzzy_decay_ms:0,oversize_threshold:0}"
    fi
    unset roentgen_decay
  else
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
    export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
    export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}"
  fi
  unset roentgen_jemalloc
fi
