"""PyTorch's side of AutocastTest: a 2D convolution under torch.autocast("cpu", torch.bfloat16).

usage: autocast_conv.py DIR   (DIR holds x.f32, w.f32, b.f32 and shapes.txt; writes y.f32, dtype.txt)
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
d = Path(sys.argv[1])
shapes = [list(map(int, line.split())) for line in (d / "shapes.txt").read_text().splitlines()]
x, w, b = (torch.from_numpy(np.fromfile(d / f, dtype="<f4").reshape(s))
           for f, s in zip(["x.f32", "w.f32", "b.f32"], shapes))
with torch.autocast("cpu", dtype=torch.bfloat16):
    y = F.conv2d(x, w, b, padding=1)
(d / "dtype.txt").write_text(str(y.dtype))
y.float().numpy().astype("<f4").tofile(d / "y.f32")
