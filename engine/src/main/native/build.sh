#!/usr/bin/env bash
# Builds libroentgen_torch.so (see roentgen_torch.cpp) into the directory given, for the jar.
#   build.sh OUT_DIR JAVA_HOME
# Needs g++ and the JDK's JNI headers; skips the compile when the library is newer than the source.
set -euo pipefail
out_dir="$1"
src="$(dirname "$0")/roentgen_torch.cpp"
out="$out_dir/libroentgen_torch.so"
if [[ -f "$out" && "$out" -nt "$src" ]]; then exit 0; fi
java_home="$2"
mkdir -p "$out_dir"
g++ -O2 -shared -fPIC -Wall -Wextra -Werror \
  -I"$java_home/include" -I"$java_home/include/linux" \
  "$src" -o "$out.tmp"
mv "$out.tmp" "$out"
