# Sourced by ./roentgen and the benchmark scripts: how glibc's malloc serves libtorch's tensors.
#
# By default glibc serves an allocation over its mmap threshold (at most 32 MB; the activations of
# a batch are 25-400 MB) with a fresh mmap and unmaps it on free, so every large tensor of every
# step is page-faulted in again; a JVM thread's own arena even does that above 64 MB whatever the
# threshold. On the 2-core benchmark VM those faults were half of a ResNet-18 training step. One
# arena, no mmap and no trimming keep freed tensor memory in the heap for the next step:
# ResNet-18 training 2.2x faster at the same peak RSS (docs/DECISIONS.md 28). The cost: resident
# memory stays at its peak. ROENTGEN_KEEP_FREED_MEMORY=0 keeps glibc's defaults; a value the user
# set for any of the variables wins.
if [[ "${ROENTGEN_KEEP_FREED_MEMORY:-1}" == "1" ]]; then
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
  export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}"
fi
