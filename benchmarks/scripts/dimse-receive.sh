#!/usr/bin/env bash
# DIMSE receive throughput and result latency on loopback (issue 19), side by side in one run:
#   throughput: after an untimed warm-up send per receiver, N instances of a 512x512 16-bit CT sent with dcmtk's storescu, from P parallel
#     storescu processes (one association each, N/P instances apiece; P from PARALLEL, default
#     "1 4"), into (a) Roentgen's DICOM node (`roentgen serve --dicom-port`, fsync per instance),
#     (b) dcmtk storescp, plain, (c) storescp forcing each file to disk before it answers
#     (dcmtk 3.6.7 has no --fsync: `--exec-on-reception 'sync #p/#f' --exec-sync` runs sync(1) on
#     the file before the C-STORE-RSP), (d) Orthanc's DICOM port. Receivers take turns within a
#     round; prints instances/s and MB/s per receiver and parallelism, medians over ROUNDS.
#   latency: STUDIES studies of K instances each go into Roentgen, which sends its SR to Orthanc
#     over C-STORE; the time from storescu's return (the last instance acknowledged) to the SR
#     being in Orthanc (polled on its REST API every 20 ms), p50/p99. It includes the node's
#     --study-quiet-seconds (QUIET, default 1): reported too, so the rest is classify + SR + send.
#
#   bash benchmarks/scripts/dimse-receive.sh MODEL_REPOSITORY [N=400] [ROUNDS=3] [STUDIES=20] [K=4]
#   env: PARALLEL="1 4" QUIET=1 MODE="throughput latency" KEEP=1 (keep the work folder)
# MODEL_REPOSITORY: a model that takes CT (its first model by name classifies the node's studies).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$(realpath "$1")"; n="${2:-400}"; rounds="${3:-3}"; studies="${4:-20}"; k="${5:-4}"
parallel="${PARALLEL:-1 4}"; quiet="${QUIET:-1}"; modes="${MODE:-throughput latency}"
for tool in storescu storescp dcmodify Orthanc curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install dcmtk orthanc curl python3)"; exit 1; }
done
./roentgen --version >/dev/null   # builds the jar if a source changed
cp="cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "work folder kept: $work" || rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "port $1 never opened"; exit 1; }

# ---- one 512x512 CT instance (Explicit VR LE), from `roentgen synth`
java -cp "$cp" io.roentgen.cli.Main synth --out "$work/synth" --patients 2 --size 512 >/dev/null
src=$(find "$work/synth" -name '*.dcm' | sort | head -1)
dcmodify -nb -m Modality=CT -m SOPClassUID=1.2.840.10008.5.1.4.1.1.2 "$src" 2>/dev/null || true
bytes=$(stat -c %s "$src")

# ---- the receivers, all up for the whole run
orthanc_http=$(free_port); orthanc_dicom=$(free_port); mkdir -p "$work/orthanc"
cat >"$work/orthanc.json" <<EOF
{"Name": "bench", "HttpPort": $orthanc_http, "DicomPort": $orthanc_dicom, "DicomAet": "ORTHANC",
 "StorageDirectory": "$work/orthanc", "IndexDirectory": "$work/orthanc", "RemoteAccessAllowed": false,
 "AuthenticationEnabled": false, "DicomAlwaysAllowStore": true, "KeepAliveTimeout": 600,
 "ConcurrentJobs": 4, "DicomThreadsCount": 8}
EOF
Orthanc "$work/orthanc.json" >"$work/orthanc.log" 2>&1 & pids+=($!)
storescp_port=$(free_port); mkdir -p "$work/storescp"
storescp -aet STORESCP -od "$work/storescp" --fork "$storescp_port" >"$work/storescp.log" 2>&1 & pids+=($!)
fsync_port=$(free_port); mkdir -p "$work/storescp-sync"
storescp -aet STORESCP -od "$work/storescp-sync" --fork -xcr 'sync #p/#f' -xs "$fsync_port" \
  >"$work/storescp-sync.log" 2>&1 & pids+=($!)
node_port=$(free_port); http_port=$(free_port)
java -cp "$cp" io.roentgen.cli.Main serve --model-repository "$repo" --port "$http_port" --devices cpu \
  --dicom-port "$node_port" --ae-title ROENTGEN --spool "$work/spool" --spool-min-free-mb 0 \
  --study-quiet-seconds "$quiet" --max-associations 25 --emit-sr --outbox "$work/outbox" \
  --result-destination "dicom://ORTHANC@127.0.0.1:$orthanc_dicom" >"$work/roentgen.log" 2>&1 & pids+=($!)
for p in "$orthanc_dicom" "$orthanc_http" "$storescp_port" "$fsync_port" "$node_port"; do wait_port "$p"; done

# ---- throughput: P storescu processes, N/P instances each (+II: the same file, a new SOP Instance UID each time)
send() { # port aet parallel count
  local each=$(( $4 / $3 )) i senders=()
  for i in $(seq 1 "$3"); do
    storescu -aet BENCH -aec "$2" +II --repeat "$each" 127.0.0.1 "$1" "$src" >/dev/null 2>>"$work/storescu.err" &
    senders+=($!)
  done
  wait "${senders[@]}"   # only these: a bare wait would wait for the receivers too
}
declare -A runs
if [[ " $modes " == *" throughput "* ]]; then
  echo "# throughput: $n instances of $bytes bytes, ROUNDS=$rounds, $(nproc) cores, $(date -u +%FT%TZ)"
  for port_aet in $node_port:ROENTGEN $storescp_port:STORESCP $fsync_port:STORESCP $orthanc_dicom:ORTHANC; do
    send "${port_aet%%:*}" "${port_aet##*:}" 1 $(( n / 4 > 4 ? n / 4 : 4 ))   # warm-up, not timed (JIT, caches)
  done
  for r in $(seq 1 "$rounds"); do
    for p in $parallel; do
      for target in roentgen:$node_port:ROENTGEN storescp:$storescp_port:STORESCP \
                    storescp-fsync:$fsync_port:STORESCP orthanc:$orthanc_dicom:ORTHANC; do
        IFS=: read -r name port aet <<<"$target"
        start=$(date +%s.%N); send "$port" "$aet" "$p" "$n"; end=$(date +%s.%N)
        runs[$name/$p]+="$(python3 -c "print($end - $start)") "
      done
    done
  done
  printf '%-16s %3s %12s %14s %10s\n' receiver P "wall s" "instances/s" "MB/s"
  for key in $(printf '%s\n' "${!runs[@]}" | sort); do
    python3 - "$key" "$n" "$bytes" ${runs[$key]} <<'EOF'
import statistics, sys
key, n, size, walls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [float(x) for x in sys.argv[4:]]
w = statistics.median(walls)
name, p = key.split("/")
print(f"{name:<16} {p:>3} {w:12.2f} {n / w:14.1f} {n * size / w / 1e6:10.1f}   (walls {' '.join(f'{x:.2f}' for x in walls)})")
EOF
  done
fi

# ---- latency: last instance acknowledged -> SR in Orthanc
if [[ " $modes " == *" latency "* ]]; then
  echo "# latency: $studies studies of $k instances, --study-quiet-seconds $quiet"
  lat=()
  for s in $(seq 0 "$studies"); do   # study 0 warms the model and the SR path; not counted
    study="1.2.826.0.1.3680043.10.1137.1919.$$.$s"; dir="$work/study-$s"; mkdir -p "$dir"
    for i in $(seq 1 "$k"); do cp "$src" "$dir/$i.dcm"; done
    dcmodify -nb -m "StudyInstanceUID=$study" -gse -gin "$dir"/*.dcm 2>/dev/null
    storescu -aet BENCH -aec ROENTGEN +sd 127.0.0.1 "$node_port" "$dir" 2>>"$work/storescu.err"
    start=$(date +%s.%N)
    query="{\"Level\":\"Series\",\"Query\":{\"StudyInstanceUID\":\"$study\",\"Modality\":\"SR\"}}"
    for _ in $(seq 1 6000); do
      [ "$(curl -s -X POST "http://127.0.0.1:$orthanc_http/tools/find" -d "$query")" != "[]" ] && break
      sleep 0.02
    done
    end=$(date +%s.%N)
    [ "$s" -gt 0 ] && lat+=("$(python3 -c "print($end - $start)")")
  done
  python3 - "$quiet" "${lat[@]}" <<'EOF'
import statistics, sys
quiet, xs = float(sys.argv[1]), sorted(float(x) for x in sys.argv[2:])
p99 = xs[min(len(xs) - 1, round(0.99 * (len(xs) - 1)))]
print(f"last instance -> SR in Orthanc: p50 {statistics.median(xs):.3f} s, p99 {p99:.3f} s, "
      f"min {xs[0]:.3f} s, max {xs[-1]:.3f} s over {len(xs)} studies (of which the quiet period: {quiet:.3f} s)")
EOF
fi
if grep -q "E:" "$work/storescu.err" 2>/dev/null; then echo "storescu reported $(grep -c 'E:' "$work/storescu.err") error line(s)"; fi
