#!/usr/bin/env bash
# `roentgen serve` against FastAPI + uvicorn + pydicom + PyTorch eager (fastapi_classify.py, Debian's
# python3-fastapi, python3-uvicorn, python3-pydicom, python3-torch, python3-torchvision), the same
# architecture (resnet18, 1x224x224, 2 classes) and DICOM file, loaded in turn by ApacheBench
# (apache2-utils: `ab -k -t SECONDS -c N -p FILE.dcm -T application/dicom`) at 1, 8 and 32 clients,
# servers alternating, ROUNDS rounds. Also prints the in-process batch-1 p50
# (`roentgen bench infer --batch-sizes 1`) and a sparse row per server: 20 requests 3 s apart
# (curl), Roentgen with its default keep-warm and with `--keep-warm-ms 0`.
# The Roentgen bundle is trained once by `roentgen train` on `roentgen synth` data and kept in
# WORK (default /tmp/roentgen-vs-fastapi). Extra arguments go to `roentgen serve`.
#   bash benchmarks/scripts/server-vs-fastapi.sh [ROUNDS=2] [SECONDS=12] [SERVE FLAGS...]
# SPARSE_REQUESTS (20) and SPARSE_GAP_S (3) shape the sparse row, WARMUP_S (10) the uncounted load
# each server gets before its rows; a smoke run of the script itself:
#   SPARSE_REQUESTS=2 SPARSE_GAP_S=1 bash benchmarks/scripts/server-vs-fastapi.sh 1 2 --max-batch-size 4
# Output: one line per measurement (server round clients req/s p50 p99 non-2xx), then medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-2}"; seconds="${2:-12}"; shift $(( $# < 2 ? $# : 2 ))
work="${WORK:-/tmp/roentgen-vs-fastapi}"; mkdir -p "$work"
python="${BENCH_PYTHON:-/usr/bin/python3}"
./roentgen --version >/dev/null   # builds the jar if a source changed
if [[ ! -d "$work/repo/cxr/1" ]]; then
  rm -rf "$work/synth" "$work/run"
  ./roentgen synth --out "$work/synth" --patients 12 --size 256 >/dev/null
  ./roentgen train --data "$work/synth/manifest.csv" --arch resnet18 --image-size 224 --epochs 1 --batch-size 8 \
    --out "$work/run" >/dev/null
  mkdir -p "$work/repo/cxr"; cp -r "$work/run/bundle" "$work/repo/cxr/1"
fi
dicom="$(find "$work/synth" -name '*.dcm' | sort | head -1)"
results="$work/results.txt"; : > "$results"

wait_ready() { # pid url
  for _ in $(seq 240); do
    curl -sf -o /dev/null "$2" && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}
start_server() { # name -> sets pid, url
  port=$((20000 + RANDOM % 20000))
  case "$1" in
    roentgen) ./roentgen serve --model-repository "$work/repo" --port "$port" "${serve_flags[@]}" >"$work/$1.log" 2>&1 &
              pid=$!; ready="http://127.0.0.1:$port/v2/health/ready" ;;
    roentgen-nowarm) ./roentgen serve --model-repository "$work/repo" --port "$port" --keep-warm-ms 0 "${serve_flags[@]}" \
                >"$work/$1.log" 2>&1 &
              pid=$!; ready="http://127.0.0.1:$port/v2/health/ready" ;;
    fastapi)  "$python" benchmarks/scripts/fastapi_classify.py "$port" 224 >"$work/$1.log" 2>&1 &
              pid=$!; ready="http://127.0.0.1:$port/health/ready" ;;
  esac
  url="http://127.0.0.1:$port/v1/models/cxr/classify"
  wait_ready "$pid" "$ready" || { cat "$work/$1.log"; exit 1; }
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
load() { # name round clients
  local out; out="$(ab -k -t "$seconds" -n 1000000 -c "$3" -p "$dicom" -T application/dicom "$url" 2>/dev/null)"
  local rps p50 p99 bad
  rps="$(awk '/^Requests per second/ {print $4}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  bad="$(awk '/^Non-2xx responses/ {print $3}' <<<"$out")"
  # A server that answered nothing in time leaves ab's figures empty: nan keeps the columns.
  echo "$1 $2 $3 ${rps:-nan} ${p50:-nan} ${p99:-nan} ${bad:-0}" | tee -a "$results"
}
sparse_requests="${SPARSE_REQUESTS:-20}"; sparse_gap="${SPARSE_GAP_S:-3}"; warmup_s="${WARMUP_S:-10}"
sparse() { # name round: SPARSE_REQUESTS requests SPARSE_GAP_S s apart, ms each
  local ms=()
  for _ in $(seq "$sparse_requests"); do
    sleep "$sparse_gap"
    ms+=("$(curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/dicom' --data-binary @"$dicom" "$url" \
      | awk '{printf "%.1f", $1 * 1000}')")
  done
  echo "$1 $2 sparse ${ms[*]}" | tee -a "$results"
}
serve_flags=("$@")
for round in $(seq "$rounds"); do
  ./roentgen bench infer --model "$work/repo/cxr/1" --batch-sizes 1 --calls 40 --json 2>/dev/null \
    | "$python" -c 'import json,sys; print("inprocess", sys.argv[1], 1, json.load(sys.stdin)["rows"][0]["p50Ms"]["median"])' "$round" \
    | tee -a "$results"
  order=(roentgen fastapi); (( round % 2 == 0 )) && order=(fastapi roentgen)
  for name in "${order[@]}"; do
    start_server "$name"
    # warm-up, not counted: WARMUP_S of 8 clients, so the measured rows see a server in its steady
    # state (the JVM's hot paths compiled by C2; 3 s left them in C1 during the 1-client row)
    ab -k -t "$warmup_s" -n 1000000 -c 8 -p "$dicom" -T application/dicom "$url" >/dev/null 2>&1 || true
    for clients in 1 8 32; do load "$name" "$round" "$clients"; done
    sparse "$name" "$round"
    stop_server
  done
  start_server roentgen-nowarm
  ab -k -t 3 -n 1000000 -c 8 -p "$dicom" -T application/dicom "$url" >/dev/null 2>&1 || true
  sparse roentgen-nowarm "$round"
  stop_server
done
"$python" - "$results" "$(nproc)" "$sparse_requests" "$sparse_gap" <<'PY'
import collections, statistics, sys
rows = collections.defaultdict(list); sparse = collections.defaultdict(list); inproc = []
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "inprocess":
        inproc.append(float(f[3]))
    elif f[2] == "sparse":
        sparse[f[0]].append([float(v) for v in f[3:]])
    else:
        rows[(f[0], int(f[2]))].append([float(v) for v in (f[3:] + ["nan"] * 4)[:4]])
med = lambda xs: statistics.median(xs)
print(f"resnet18 1x224x224, {sys.argv[2]} cores, ab -k; medians over rounds (values per round in brackets)")
print("| clients | Roentgen req/s | FastAPI req/s | ratio | Roentgen p50 / p99 ms | FastAPI p50 / p99 ms | non-2xx |")
print("|---:|---:|---:|---:|---|---|---|")
for c in (1, 8, 32):
    r, f = rows[("roentgen", c)], rows[("fastapi", c)]
    rr, fr = med([x[0] for x in r]), med([x[0] for x in f])
    print(f"| {c} | {rr:.1f} {[x[0] for x in r]} | {fr:.1f} {[x[0] for x in f]} | {rr / fr:.2f} "
          f"| {med([x[1] for x in r]):.0f} / {med([x[2] for x in r]):.0f} | {med([x[1] for x in f]):.0f} / {med([x[2] for x in f]):.0f} "
          f"| {sum(x[3] for x in r):.0f}, {sum(x[3] for x in f):.0f} |")
print(f"in-process batch-1 p50 (roentgen bench infer): {med(inproc):.1f} ms {inproc}")
for name, runs in sparse.items():
    flat = [v for run in runs for v in run]
    firsts = [run[0] for run in runs]
    print(f"sparse, {sys.argv[3]} requests {sys.argv[4]} s apart, {name}: p50 {med(flat):.1f} ms, max {max(flat):.1f} ms (per round p50 "
          f"{[round(med(run), 1) for run in runs]})")
PY
