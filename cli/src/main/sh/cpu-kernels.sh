# Sourced by ./roentgen and the benchmark scripts: which of libtorch's compiled CPU kernel sets
# (ATen's element-wise, batch norm, pooling and copy kernels) runs.
#
# On the Zen 5 benchmark VM, DJL's libtorch 2.7.1 chose its AVX2 kernels although the CPU has
# AVX-512; forcing AVX-512 made DenseNet-121 batch-32 inference 15% and ResNet-18 batch-1 inference
# 10-20% faster (docs/DECISIONS.md 36). libtorch trusts the variable without checking the CPU, so
# it is set only where /proc/cpuinfo lists every AVX-512 subset ATen's AVX-512 kernels use. A
# value the user set wins; ROENTGEN_ATEN_AVX512=0 leaves libtorch's own choice.
if [[ -z "${ATEN_CPU_CAPABILITY:-}" && "${ROENTGEN_ATEN_AVX512:-1}" == "1" && -r /proc/cpuinfo ]]; then
  # The first "flags" line, read with bash's own `read` (a grep was a fork and exec per start).
  roentgen_flags=""
  while IFS= read -r roentgen_flags; do
    [[ "$roentgen_flags" == flags* ]] && break
    roentgen_flags=""
  done </proc/cpuinfo
  if [[ " $roentgen_flags " == *" avx512f "* && " $roentgen_flags " == *" avx512bw "* \
        && " $roentgen_flags " == *" avx512vl "* && " $roentgen_flags " == *" avx512dq "* \
        && " $roentgen_flags " == *" fma "* ]]; then
    export ATEN_CPU_CAPABILITY=avx512
  fi
  unset roentgen_flags
fi
