#!/usr/bin/env bash
# De-identification speed: `roentgen deid` (PS3.15 Basic Profile) vs GDCM's `gdcmanon -e` (its
# PS3.15 mode; it needs a certificate, made here) on the same files, files/s and MB/s, wall clock
# of the whole command (process and JVM start included for both).
#   bash benchmarks/scripts/deid-vs-gdcmanon.sh [count] [size]
# Sources: `count` 16-bit CT-like files of size x size (default 200 of 512x512) with identifiers at
# the top level and in a nested sequence, written by dcmtk's dump2dcm.
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-200}"
size="${2:-512}"
work="${TMPDIR:-/tmp}/roentgen-deid-bench"
rm -rf "$work" && mkdir -p "$work/in"
./roentgen --version >/dev/null   # builds the jar if needed

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
mb=$(du -sb "$work/in" | awk '{print $1 / 1e6}')

openssl req -x509 -newkey rsa:2048 -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 -nodes -subj /CN=bench 2>/dev/null
head -c 32 /dev/urandom > "$work/project.key"

# Dirty pages left by the previous step (the sources, the other tool's outputs) are flushed first:
# otherwise whoever runs second pays for the first one's writeback.
seconds() { local t0 t1; sync; t0=$(date +%s.%N); "$@" >"$work/last.log" 2>"$work/last.err"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
min() { echo "if ($1 < $2) $1 else $2" | bc -l; }
rate() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }

gdcm() { rm -rf "$work/gdcm"; seconds gdcmanon --continue --certificate "$work/cert.pem" -e -i "$work/in" -o "$work/gdcm"; }
roentgen() { rm -rf "$work/roentgen"; seconds ./roentgen deid "$work/in" --out "$work/roentgen" --key-file "$work/project.key" --json; }
inproc() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['seconds'])" "$work/last.log"; }
# Each tool twice, in the order g r r g; the better run of each counts.
g1=$(gdcm); r1=$(roentgen); i1=$(inproc); r2=$(roentgen); i2=$(inproc); g2=$(gdcm)
g=$(min "$g1" "$g2"); r=$(min "$r1" "$r2"); r_inproc=$(min "$i1" "$i2")

echo "deid of $count ${size}x${size} CT files ($(printf '%.1f' "$mb") MB), $(nproc) cores"
printf '%-28s %8s %10s %8s\n' tool seconds files/s MB/s
printf '%-28s %8.2f %10s %8s\n' "gdcmanon -e" "$g" "$(rate "$count" "$g")" "$(rate "$mb" "$g")"
printf '%-28s %8.2f %10s %8s\n' "roentgen deid" "$r" "$(rate "$count" "$r")" "$(rate "$mb" "$r")"
printf '%-28s %8.2f %10s %8s\n' "roentgen deid (in-process)" "$r_inproc" "$(rate "$count" "$r_inproc")" "$(rate "$mb" "$r_inproc")"
echo "outputs: gdcmanon $(find "$work/gdcm" -type f | wc -l), roentgen $(find "$work/roentgen" -name '*.dcm' | wc -l)"
