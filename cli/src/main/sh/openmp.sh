# Sourced by ./roentgen: how long libtorch's OpenMP threads (GNU libgomp in DJL's CPU libtorch)
# spin at a barrier before they sleep.
#
# Between two parallel regions of a forward pass (one per kernel) the helpers wait for the next;
# spinning hands the next region over at once, sleeping costs a futex wake-up per region.
# libgomp's default, 300,000 spins (milliseconds), is the fastest on idle cores but wastes whole
# time slices when the cores are shared: a batch-1 ResNet-18 pass on 2 cores with 10 other
# runnable processes took 714 ms p50 at 300,000, 174 ms at 30,000 and 109 ms at 100, against
# 40, 42 and 61 ms with the cores to itself (docs/DECISIONS.md, "One OpenMP pool per serving
# thread"). 30,000 keeps nearly all of the idle-core speed. A value the user set wins, and so does
# OMP_WAIT_POLICY (libgomp derives the spin count from it).
if [[ -z "${GOMP_SPINCOUNT:-}" && -z "${OMP_WAIT_POLICY:-}" ]]; then
  export GOMP_SPINCOUNT=30000
fi
