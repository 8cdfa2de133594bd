#!/usr/bin/env bash
# De-identification speed: `roentgen deid` (PS3.15 Basic Profile) vs GDCM's `gdcmanon -e` (its
# PS3.15 mode; it needs a certificate, made here) on the same files, files/s and MB/s, wall clock
# and CPU time (user + sys, /usr/bin/time) of the whole command (process and JVM start included
# for both).
#   bash benchmarks/scripts/deid-vs-gdcmanon.sh [count] [size] [rounds]
# Sources: `count` 16-bit CT-like files of size x size (default 200 of 512x512) with identifiers at
# the top level and in a nested sequence, written by dcmtk's dump2dcm (kept in
# $TMPDIR/roentgen-deid-bench-COUNTxSIZE and reused by the next run with the same count and size:
# writing 2000 files takes minutes). Each tool runs `rounds` times (default 3), alternating and
# in turn first; the medians are printed. On a shared machine compare the CPU times: wall times swing with the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-200}"
size="${2:-512}"
rounds="${3:-3}"
work="${TMPDIR:-/tmp}/roentgen-deid-bench-${count}x${size}"
./roentgen --version >/dev/null   # builds the jar if needed

if [[ "$(find "$work/in" -name '*.dcm' 2>/dev/null | wc -l)" != "$count" ]]; then
rm -rf "$work" && mkdir -p "$work/in"

head -c $((size * size * 2)) /dev/urandom > "$work/pixels.raw"
for i in $(seq 1 "$count"); do
  cat > "$work/one.dump" <<DUMP
(0008,0016) UI [1.2.840.10008.5.1.4.1.1.2]
(0008,0018) UI [1.2.826.0.1.3680043.10.1337.77.$i]
(0008,0020) DA [20240311]
(0008,0050) SH [ACC$i]
(0008,0060) CS [CT]
(0008,0080) LO [SAINT ALDWYTH INFIRMARY]
(0008,1140) SQ (Sequence with explicit length #=1)
  (fffe,e000) na (Item with explicit length #=3)
    (0008,1150) UI [1.2.840.10008.5.1.4.1.1.2]
    (0008,1155) UI [1.2.826.0.1.3680043.10.1337.77.$(( i > 1 ? i - 1 : 1 ))]
    (0010,0010) PN [QUILLANDER^ZEPHYRINA]
  (fffe,e00d) na (ItemDelimitationItem)
(fffe,e0dd) na (SequenceDelimitationItem)
(0010,0010) PN [QUILLANDER^ZEPHYRINA]
(0010,0020) LO [MRN7731904]
(0010,0030) DA [19610417]
(0020,000d) UI [1.2.826.0.1.3680043.10.1337.77]
(0020,000e) UI [1.2.826.0.1.3680043.10.1337.77.0]
(0020,0052) UI [1.2.826.0.1.3680043.10.1337.78]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0010) US $size
(0028,0011) US $size
(0028,0100) US 16
(0028,0101) US 12
(0028,0102) US 11
(0028,0103) US 0
(7fe0,0010) OW =$work/pixels.raw
DUMP
  dump2dcm -q "$work/one.dump" "$work/in/ct$i.dcm"
done
fi
mb=$(du -sb "$work/in" | awk '{print $1 / 1e6}')

openssl req -x509 -newkey rsa:2048 -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 -nodes -subj /CN=bench 2>/dev/null
head -c 32 /dev/urandom > "$work/project.key"

# Dirty pages left by the previous step (the sources, the other tool's outputs) are flushed first:
# otherwise whoever runs second pays for the first one's writeback. Prints "wall cpu".
timed() { sync; /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >"$work/last.log" 2>"$work/last.err"; awk '{print $1, $2 + $3}' "$work/time"; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
rate() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }

gdcm() { rm -rf "$work/gdcm"; timed gdcmanon --continue --certificate "$work/cert.pem" -e -i "$work/in" -o "$work/gdcm"; }
roentgen() { rm -rf "$work/roentgen"; timed ./roentgen deid "$work/in" --out "$work/roentgen" --key-file "$work/project.key" --json; }
inproc() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$work/last.log"; }
: >"$work/g" && : >"$work/r" && : >"$work/i"
# Whoever runs first in a round follows the other's writeback of the round before: alternate.
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then gdcm >>"$work/g"; fi
  roentgen >>"$work/r"
  inproc >>"$work/i"
  if (( round % 2 == 0 )); then gdcm >>"$work/g"; fi
done
g=$(cut -d' ' -f1 "$work/g" | median); gc=$(cut -d' ' -f2 "$work/g" | median)
r=$(cut -d' ' -f1 "$work/r" | median); rc=$(cut -d' ' -f2 "$work/r" | median)
ri=$(median <"$work/i")

echo "deid of $count ${size}x${size} CT files ($(printf '%.1f' "$mb") MB), $(nproc) cores, medians of $rounds alternated runs"
printf '%-28s %8s %10s %8s %8s\n' tool "wall s" files/s MB/s "CPU s"
printf '%-28s %8.2f %10s %8s %8.2f\n' "gdcmanon -e" "$g" "$(rate "$count" "$g")" "$(rate "$mb" "$g")" "$gc"
printf '%-28s %8.2f %10s %8s %8.2f\n' "roentgen deid" "$r" "$(rate "$count" "$r")" "$(rate "$mb" "$r")" "$rc"
printf '%-28s %8.2f %10s %8s\n' "roentgen deid (in-process)" "$ri" "$(rate "$count" "$ri")" "$(rate "$mb" "$ri")"
echo "runs (wall CPU): gdcmanon $(paste -sd, "$work/g"); roentgen $(paste -sd, "$work/r")"
echo "outputs: gdcmanon $(find "$work/gdcm" -type f | wc -l), roentgen $(find "$work/roentgen" -name '*.dcm' | wc -l)"
