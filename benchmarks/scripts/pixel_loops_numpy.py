#!/usr/bin/env python3
"""The JMH hot loops done the NumPy/PyTorch way, as the side-by-side reference in BENCHMARKS.md.

Same work on the same kind of input (512x512, 16 bits allocated, 12 stored, noise in the high
bits): mask to BitsStored, rescale + window to float32 in [0, 1], area resize to 224x224
(torch.nn.functional.interpolate mode="area", single thread), and pydicom's RLE decoder.
Prints microseconds per frame, median of 7 timeit repeats.

Usage: /usr/bin/python3 benchmarks/scripts/pixel_loops_numpy.py
"""
import statistics
import timeit

import numpy as np
import torch

torch.set_num_threads(1)
rng = np.random.default_rng(7)
stored = np.clip(1064 + rng.integers(-10, 11, size=(512, 512)), 0, 4095).astype("<u2")
noisy = (stored | (rng.integers(0, 16, size=stored.shape).astype("<u2") << 12)).tobytes()


def mask():
    return np.frombuffer(noisy, dtype="<u2") & 0x0FFF


def window():
    hu = stored.astype(np.float32) * 1.0 - 1024.0
    lo, hi = 40 - 400 / 2, 40 + 400 / 2
    return np.clip((hu - lo) / (hi - lo), 0.0, 1.0)


image = torch.from_numpy(window()).reshape(1, 1, 512, 512)


def resize():
    return torch.nn.functional.interpolate(image, size=(224, 224), mode="area")


def time_us(fn):
    n = 50
    runs = timeit.repeat(fn, number=n, repeat=7)
    return statistics.median(runs) / n * 1e6


results = {"numpy mask 16->12 bits": time_us(mask), "numpy rescale+window to float32": time_us(window),
           "torch area resize to 224": time_us(resize)}
try:
    from pydicom.pixel_data_handlers.rle_handler import _rle_decode_frame, rle_encode_frame

    rle = rle_encode_frame(stored)
    results["pydicom RLE decode (no unpacking to uint16)"] = time_us(lambda: _rle_decode_frame(rle, 512, 512, 1, 16))
except Exception as e:  # older/newer pydicom without these internals
    results["pydicom RLE decode"] = f"n/a ({e})"
for name, us in results.items():
    print(f"{name:44s} {us if isinstance(us, str) else f'{us:10.1f} us'}")
