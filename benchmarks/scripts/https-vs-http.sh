#!/usr/bin/env bash
# HTTPS classify throughput against plain HTTP: the same `roentgen serve` (TLS from a fresh
# self-signed EC P-256 certificate, then without) loaded in turn by `roentgen bench serve` in its
# own JVM at 32 clients. HTTP/1.1 keep-alive, so the handshake is paid once per client and the
# difference is record encryption. The servers run through ./roentgen, as users run them (its
# OpenMP, malloc and kernel settings: started as a bare `java`, libtorch's OpenMP threads spun at
# libgomp's default and took 46% of the server's CPU). After each load it prints the CPU seconds
# the server and the client spent over it, warm-up included: the client encrypts too, on the same
# cores (benchmarks/scripts/https-vs-http-native.sh loads the server with a native client
# instead). Figures go to BENCHMARKS.md ("HTTPS against HTTP").
#   bash benchmarks/scripts/https-vs-http.sh MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=15] [CLIENTS=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; seconds="${4:-15}"; clients="${5:-32}"
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
# KEEP_LOGS=DIR keeps each server's log there.
pki=$(mktemp -d); trap 'rm -rf "$pki"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$pki/server.key" -out "$pki/server.pem" 2>/dev/null
served() { # scheme, then extra serve flags
  local scheme="$1"; shift
  local port=$((20000 + RANDOM % 20000)) log; log=$(mktemp)
  ./roentgen serve --model-repository "$repo" --port "$port" --devices cpu \
    --queue-capacity 4096 "$@" >"$log" 2>&1 &
  local server=$! # the JVM: ./roentgen execs java
  until grep -q "serving" "$log"; do kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }; sleep 0.5; done
  echo "# $scheme"
  local before; before=$(awk '{print $14 + $15}' "/proc/$server/stat") # user + sys ticks, all threads
  # bench serve exits non-zero when a request failed; the server must still be stopped
  /usr/bin/time -f '%e %U %S' -o "$pki/client.time" java -cp "$cp" io.roentgen.cli.Main bench serve \
    --url "$scheme://127.0.0.1:$port" --model "$model" --dicom "$dicom" \
    --concurrency "$clients" --duration "${seconds}s" --warmup 5s --ca-cert "$pki/server.pem" \
    || echo "# bench serve exited $? (failed requests above)"
  local after; after=$(awk '{print $14 + $15}' "/proc/$server/stat")
  awk -v sv=$((after - before)) -v tick="$(getconf CLK_TCK)" \
    '{printf "# CPU over %.1f s of load: server %.1f s, client (bench serve) %.1f s\n", $1, sv / tick, $2 + $3}' "$pki/client.time"
  kill "$server"; wait "$server" || true
  if [[ -n "${KEEP_LOGS:-}" ]]; then mkdir -p "$KEEP_LOGS"; mv "$log" "$KEEP_LOGS/server-$scheme-$port.log"; else rm -f "$log"; fi
}
served http
served https --tls-cert "$pki/server.pem" --tls-key "$pki/server.key"
served http
