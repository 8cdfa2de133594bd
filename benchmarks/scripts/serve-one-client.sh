#!/usr/bin/env bash
# One client against one `roentgen serve`: starts the server from JAR with the launcher's
# allocator and kernel settings (native-memory.sh, cpu-kernels.sh; openmp.sh too with
# WITH_OPENMP_SH=1), sends `ab -k -c 1` for 4 s untimed and SECONDS timed, prints requests/s and
# p50, and stops it. For A/B runs of a setting or a jar, alternating rows in one session:
#   ROENTGEN_FREED_MEMORY_DECAY_MS=10000 bash benchmarks/scripts/serve-one-client.sh LABEL JAR REPO MODEL FILE.dcm [SECONDS=10]
#   MALLOC_CONF=... works as well (it wins over the variable).
set -euo pipefail
cd "$(dirname "$0")/../.."
label="$1"; jar="$2"; repo="$3"; model="$4"; dicom="$5"; seconds="${6:-10}"
port=$((20000 + RANDOM % 20000))
(
  source cli/src/main/sh/native-memory.sh
  source cli/src/main/sh/cpu-kernels.sh
  [[ -n "${WITH_OPENMP_SH:-}" ]] && source cli/src/main/sh/openmp.sh
  exec java -cp "$jar:cli/target/native/pytorch-native-cpu.jar" io.roentgen.cli.Main serve --model-repository "$repo" \
    --port "$port" --devices cpu
) >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 240); do curl -sf -o /dev/null "http://127.0.0.1:$port/v2/health/ready" && break; sleep 0.5; done
url="http://127.0.0.1:$port/v1/models/$model/classify"
ab -k -t 4 -c 1 -p "$dicom" -T application/dicom "$url" >/dev/null 2>&1 || true
out=$(ab -k -t "$seconds" -c 1 -p "$dicom" -T application/dicom "$url" 2>&1)
echo "$label requests/s $(echo "$out" | awk '/Requests per second/ {print $4}') p50_ms $(echo "$out" | awk '/ 50% / {print $2}')"
