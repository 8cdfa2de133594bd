#!/usr/bin/env python3
"""The decode-speed reference: pydicom dcmread + pixel_array over the same files Roentgen reads.

Usage: pydicom_decode.py REPETITIONS FILE...   (prints JSON: per-pass seconds, files, pixel bytes)
One warm-up pass first, as in `roentgen bench decode`.
"""
import json
import sys
import time

import pydicom


def one_pass(files):
    pixel_bytes = 0
    for f in files:
        arr = pydicom.dcmread(f).pixel_array
        pixel_bytes += arr.size * arr.itemsize
    return pixel_bytes


def main():
    repetitions = int(sys.argv[1])
    files = sys.argv[2:]
    pixel_bytes = one_pass(files)
    seconds = []
    for _ in range(repetitions):
        t0 = time.perf_counter()
        one_pass(files)
        seconds.append(time.perf_counter() - t0)
    print(json.dumps({"files": len(files), "pixelBytesPerPass": pixel_bytes, "passSeconds": seconds,
                      "pydicom": pydicom.__version__}))


if __name__ == "__main__":
    main()
