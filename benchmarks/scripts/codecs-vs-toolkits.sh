#!/usr/bin/env bash
# Codec decode speed: Roentgen vs dcmtk and GDCM on the same compressed files, per frame.
#   bash benchmarks/scripts/codecs-vs-toolkits.sh [rounds]
# Sources: a 512x512 CT-like and a 2048x2048 radiograph-like 12-bit image (numpy, deterministic),
# as multi-frame files (N frames) and 1-frame files, compressed by dcmtk (RLE, JPEG lossless SV1,
# JPEG extended 12-bit, JPEG-LS lossless) and GDCM (JPEG 2000 lossless); 8-bit copies for JPEG
# baseline. Toolkit per-frame time = (time(N frames) - time(1 frame)) / (N - 1), which subtracts
# process start; Roentgen decodes the N-frame files in-process (`roentgen bench decode`).
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-5}"
work="${TMPDIR:-/tmp}/roentgen-codec-bench"
rm -rf "$work" && mkdir -p "$work"
./roentgen --version >/dev/null   # builds the jar if needed

/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np
out = sys.argv[1]
def image(size, seed, kind):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size] / size
    if kind == "ct":
        body = ((x - .5) ** 2 + ((y - .5) * 1.3) ** 2) < .16
        v = np.where(body, 1064 + 200 * np.sin(x * 40) * np.cos(y * 33), 24)
    else:
        v = 3000 * np.exp(-((x - .5) ** 2 + (y - .5) ** 2) * 6) + 400 + 300 * np.sin(y * 60)
    v = v + rng.normal(0, 8, v.shape)
    return np.clip(v, 0, 4095).astype("<u2")
for size, frames, kind in ((512, 20, "ct"), (2048, 4, "cr")):
    for n in (1, frames):
        stack = np.stack([image(size, f, kind) for f in range(n)])
        name = f"{kind}{size}_{n}"
        stack.tofile(f"{out}/{name}.raw")
        (stack >> 4).astype("u1").tofile(f"{out}/{name}_8.raw")
        for bits, suffix in ((16, ""), (8, "_8")):
            with open(f"{out}/{name}{suffix}.dump", "w") as f:
                f.write(f"""(0008,0016) UI [1.2.840.10008.5.1.4.1.1.7.3]
(0008,0018) UI [1.2.826.0.1.3680043.10.1337.9.{size}.{n}.{bits}]
(0008,0060) CS [OT]
(0020,000d) UI [1.2.826.0.1.3680043.10.1337.9]
(0020,000e) UI [1.2.826.0.1.3680043.10.1337.9.1]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
(0028,0008) IS [{n}]
(0028,0010) US {size}
(0028,0011) US {size}
(0028,0100) US {bits}
(0028,0101) US {12 if bits == 16 else 8}
(0028,0102) US {11 if bits == 16 else 7}
(0028,0103) US 0
(7fe0,0010) {"OW" if bits == 16 else "OB"} ={out}/{name}{suffix}.raw
""")
PY

cd "$work"
for d in *.dump; do dump2dcm -q "$d" "${d%.dump}.dcm"; done
declare -A encode=(
  [rle]="dcmcrle -q SRC DST"
  [jpeg-lossless-sv1]="dcmcjpeg -q +e1 SRC DST"
  [jpeg-extended-12]="dcmcjpeg -q +ee SRC DST"
  [jpeg-ls-lossless]="dcmcjpls -q +el SRC DST"
  [j2k-lossless]="gdcmconv --j2k SRC DST"
)
declare -A decode_dcmtk=(
  [rle]="dcmdrle -q" [jpeg-lossless-sv1]="dcmdjpeg -q" [jpeg-extended-12]="dcmdjpeg -q"
  [jpeg-ls-lossless]="dcmdjpls -q" [j2k-lossless]="" [jpeg-baseline-8]="dcmdjpeg -q")
codecs=(rle jpeg-lossless-sv1 jpeg-extended-12 jpeg-ls-lossless j2k-lossless jpeg-baseline-8)
for img in ct512 cr2048; do
  for n in 1 $([[ $img == ct512 ]] && echo 20 || echo 4); do
    for c in "${codecs[@]}"; do
      if [[ $c == jpeg-baseline-8 ]]; then cmd="dcmcjpeg -q +eb SRC DST"; src="${img}_${n}_8.dcm"
      else cmd="${encode[$c]}"; src="${img}_${n}.dcm"; fi
      cmd="${cmd/SRC/$src}"; ${cmd/DST/${img}_${n}.$c.dcm}
    done
  done
done

now() { date +%s.%N; }
time_cmd() { local t0; t0=$(now); "$@" >/dev/null 2>&1; echo "$(now) - $t0" | bc -l; }
{
  echo "codec image frames tool seconds_per_frame"
  for r in $(seq "$rounds"); do
    for img in ct512 cr2048; do
      n=$([[ $img == ct512 ]] && echo 20 || echo 4)
      for c in "${codecs[@]}"; do
        multi="${img}_${n}.$c.dcm"; single="${img}_1.$c.dcm"
        json=$(cd - >/dev/null && ./roentgen bench decode "$work/$multi" --repetitions 3 --json)
        fps=$(echo "$json" | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['rows'][0]['filesPerSecond']['median'])")
        echo "$c $img $n roentgen $(echo "1 / ($fps * $n)" | bc -l)"
        if [[ -n "${decode_dcmtk[$c]}" ]]; then
          tn=$(time_cmd ${decode_dcmtk[$c]} "$multi" out.dcm); t1=$(time_cmd ${decode_dcmtk[$c]} "$single" out.dcm)
          echo "$c $img $n dcmtk $(echo "($tn - $t1) / ($n - 1)" | bc -l)"
        fi
        tn=$(time_cmd gdcmconv --raw "$multi" out.dcm); t1=$(time_cmd gdcmconv --raw "$single" out.dcm)
        echo "$c $img $n gdcm $(echo "($tn - $t1) / ($n - 1)" | bc -l)"
      done
    done
  done
} > results.txt
/usr/bin/python3 - results.txt <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
lines = open(sys.argv[1]).read().split("\n")[1:]
for line in filter(None, lines):
    c, img, n, tool, s = line.split()
    rows[(c, img, tool)].append(float(s))
size = {"ct512": 512 * 512 * 2, "cr2048": 2048 * 2048 * 2}
print("| codec | image | Roentgen frames/s | dcmtk frames/s | GDCM frames/s | Roentgen MB/s | Roentgen / dcmtk |")
print("|---|---|---:|---:|---:|---:|---:|")
for c in dict.fromkeys(k[0] for k in rows):
    for img in ("ct512", "cr2048"):
        med = {t: statistics.median(rows[(c, img, t)]) for t in ("roentgen", "dcmtk", "gdcm") if rows.get((c, img, t))}
        fps = {t: (1 / v if v > 0 else float("nan")) for t, v in med.items()}
        px = size[img] // (2 if c == "jpeg-baseline-8" else 1)
        ratio = f"{fps['roentgen'] / fps['dcmtk']:.2f}" if "dcmtk" in fps else "-"
        print(f"| {c} | {img} | {fps['roentgen']:.0f} | {fps.get('dcmtk', float('nan')):.0f} | {fps['gdcm']:.0f} | "
              f"{fps['roentgen'] * px / 1e6:.0f} | {ratio} |")
PY
