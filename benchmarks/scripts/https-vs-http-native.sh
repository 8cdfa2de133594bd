#!/usr/bin/env bash
# HTTPS classify against plain HTTP with a native load generator (nghttp2's h2load, C and
# OpenSSL, one thread), to tell the server's TLS cost from the Java client's: `https-vs-http.sh`
# loads the server with `roentgen bench serve`, a JVM that encrypts too, on the same cores.
# Per run it prints images/s and mean latency (h2load's), and the CPU time (user + sys) that the
# server process and h2load each spent per request: the server's own share of TLS is the
# difference of its CPU ms/request between the schemes, whatever the client costs.
# The servers alternate A B B A (HTTP, HTTPS, HTTPS, HTTP for PAIRS=2) and run as users run them,
# through ./roentgen (its OpenMP, malloc and kernel settings). Each is warmed up for WARMUP
# seconds that are not counted: on 2 shared cores C2 was still compiling (25-33% of the server's
# CPU) 20 s into the load, and more so over TLS, whose code paths are more.
# Figures go to BENCHMARKS.md ("HTTPS against HTTP").
#   bash benchmarks/scripts/https-vs-http-native.sh MODEL_REPOSITORY MODEL DICOM_FILE [SECONDS=20] [CLIENTS=32] [PAIRS=2] [WARMUP=60]
# Needs h2load (Debian: nghttp2-client). EXTRA_SERVE_FLAGS are added to both servers' flags;
# FIRST=https starts with HTTPS (B A A B), for a second window that mirrors the first.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$1"; model="$2"; dicom="$3"; seconds="${4:-20}"; clients="${5:-32}"; pairs="${6:-2}"; warmup="${7:-60}"
command -v h2load >/dev/null || { echo "needs h2load (apt-get install nghttp2-client)" >&2; exit 1; }
./roentgen --version >/dev/null   # builds the jar if a source changed
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/server.key" -out "$work/server.pem" 2>/dev/null
tick=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + sys of every thread, in clock ticks
load() { # url, seconds: one h2load run (its CPU time to client.time), HTTP/1.1 keep-alive, the DICOM file as each POST's body
  /usr/bin/time -f '%U %S' -o "$work/client.time" h2load --h1 -c "$clients" -D "$2" -d "$dicom" \
    -H 'content-type: application/dicom' "$1/v1/models/$model/classify" >"$work/h2load.out" 2>&1
}
served() { # scheme, then extra serve flags
  local scheme="$1"; shift
  local port=$((20000 + RANDOM % 20000)) log="$work/server.log"
  # shellcheck disable=SC2086
  ./roentgen serve --model-repository "$repo" --port "$port" --devices cpu \
    --queue-capacity 4096 ${EXTRA_SERVE_FLAGS:-} "$@" >"$log" 2>&1 &
  local server=$! # the JVM: ./roentgen execs java
  until grep -q "serving" "$log"; do kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }; sleep 0.5; done
  local url="$scheme://127.0.0.1:$port"
  load "$url" "$warmup"
  local before; before=$(cpu_ticks "$server")
  load "$url" "$seconds"
  local after; after=$(cpu_ticks "$server")
  kill "$server"; wait "$server" || true
  local done rps mean tls
  done=$(sed -n 's/^requests: .* \([0-9]*\) succeeded.*/\1/p' "$work/h2load.out")
  rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$work/h2load.out")
  mean=$(awk '/^time for request:/ {print $5}' "$work/h2load.out")
  tls=$(awk '/^TLS Protocol:/ {p = $3} /^Cipher:/ {c = $2} END {print (p ? p " " c : "-")}' "$work/h2load.out")
  grep -q -E '^requests: .* 0 failed, 0 errored' "$work/h2load.out" || grep '^requests:' "$work/h2load.out" >&2
  awk -v s="$scheme" -v rps="$rps" -v mean="$mean" -v n="$done" -v sv=$((after - before)) -v tick="$tick" -v tls="$tls" \
    -v cl="$(awk '{print $1 + $2}' "$work/client.time")" \
    'BEGIN {printf "%-6s %10.1f %10s %14.3f %14.3f  %s\n", s, rps, mean, n ? sv / tick * 1000 / n : 0, n ? cl * 1000 / n : 0, tls}' \
    | tee -a "$work/runs"
}
printf '%-6s %10s %10s %14s %14s  %s\n' scheme images/s "mean lat" "server CPU ms" "h2load CPU ms" "TLS"
for pair in $(seq 1 "$pairs"); do
  http_first=$(( pair % 2 )); [[ "${FIRST:-http}" == https ]] && http_first=$(( 1 - http_first ))
  if (( http_first )); then order=(http https); else order=(https http); fi
  for scheme in "${order[@]}"; do
    if [[ "$scheme" == https ]]; then served https --tls-cert "$work/server.pem" --tls-key "$work/server.key"; else served http; fi
  done
done
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for col in 2 4; do
  h=$(awk -v c=$col '$1 == "http" {print $c}' "$work/runs" | median)
  s=$(awk -v c=$col '$1 == "https" {print $c}' "$work/runs" | median)
  name=$([[ $col == 2 ]] && echo "images/s" || echo "server CPU ms/request")
  echo "median $name: HTTP $h, HTTPS $s, HTTPS/HTTP $(echo "$s / $h" | bc -l | xargs printf '%.3f')"
done
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; $clients clients, ${seconds} s a run after ${warmup} s"
