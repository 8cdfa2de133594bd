#!/usr/bin/env python3
"""Writes N hostile DICOM bodies for the soak: seeded mutations (bit flips, truncation, 0xFF runs,
random spans) of the conformance fixtures of every transfer syntax, JPEG 2000 weighted most.
    python3 benchmarks/scripts/hostile_bodies.py FIXTURES_DIR OUT_DIR [N=200] [SEED=18]"""
import pathlib
import random
import sys


def mutate(data: bytearray, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        for _ in range(rng.randint(1, 16)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == 1:
        data = data[:rng.randrange(len(data))]
    elif kind == 2:
        start = rng.randrange(len(data))
        data[start:start + rng.randint(2, 64)] = b"\xff" * rng.randint(2, 64)
    else:
        start = rng.randrange(len(data))
        data[start:start + 256] = bytes(rng.randrange(256) for _ in range(256))
    return bytes(data)


def main() -> None:
    fixtures, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 18)
    families = {f: sorted((fixtures / f).glob("*.dcm")) for f in ("core", "rle", "jpeg", "jpegls", "jpeg2000")}
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        family = "jpeg2000" if i % 2 == 0 else rng.choice(sorted(families))
        seed = rng.choice(families[family])
        (out / f"hostile-{i:04d}.dcm").write_bytes(mutate(bytearray(seed.read_bytes()), rng))


if __name__ == "__main__":
    main()
