#!/usr/bin/python3
"""Makes the TorchScript bundle fixture: a tiny CNN traced with a fixed seed, its model.json, and
the logits PyTorch computes for a fixed input, which the Java test must reproduce within 1e-4.

Run with Debian's python3-torch: /usr/bin/python3 make-torchscript-fixture.py (from this folder).
Deterministic: same torch version, same files (model.pt is a zip with fixed contents).
"""
import json
import os

import torch
import torch.nn as nn

OUT = "torchscript-tiny"
C, H, W, LABELS = 1, 32, 32, 2


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(C, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1, stride=2)
        self.fc = nn.Linear(8, LABELS)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.conv2(x))
        x = torch.mean(x, dim=(2, 3))
        return self.fc(x)


def fixed_input(n):
    """Exactly representable in float32, so Java builds the same tensor: ((i % 17) / 16) - 0.5."""
    i = torch.arange(n * C * H * W, dtype=torch.float64)
    return ((i % 17) / 16 - 0.5).reshape(n, C, H, W).float()


def main():
    torch.manual_seed(20241123)
    model = TinyCnn()
    # A few training-mode passes give BatchNorm non-trivial running statistics, so the test also
    # checks that the Java side runs the module in eval mode.
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(8, C, H, W) * 2 + 0.3)
    model.eval()
    traced = torch.jit.trace(model, torch.zeros(1, C, H, W))
    os.makedirs(OUT, exist_ok=True)
    torch.jit.save(traced, os.path.join(OUT, "model.pt"))

    x = fixed_input(2)
    with torch.no_grad():
        logits = traced(x)
        probabilities = torch.softmax(logits, dim=1)
    with open("torchscript-tiny-expected.json", "w") as f:
        json.dump({"input": "((i % 17) / 16) - 0.5 for i in 0..N*C*H*W-1, shape (2, 1, 32, 32)",
                   "torch": torch.__version__,
                   "logits": [[float(v) for v in row] for row in logits],
                   "probabilities": [[float(v) for v in row] for row in probabilities]}, f, indent=2)
        f.write("\n")

    manifest = {
        "formatVersion": "1.0",
        "format": "torchscript",
        "name": "torchscript-tiny",
        "version": "1",
        "task": "multi-class",
        "input": {"channels": C, "height": H, "width": W},
        "labels": ["no blob", "blob"],
        "thresholds": {"no blob": 0.5, "blob": 0.5},
        "preprocessing": {"pixels": {"voi": {"mode": "FILE"}, "invertMonochrome1": True},
                          "transform": {"padToSquare": 0.0, "resize": {"height": H, "width": W, "method": "auto"},
                                        "channels": C}},
        "metrics": {},
        "provenance": {"seed": 20241123, "pytorchVersion": torch.__version__},
    }
    with open(os.path.join(OUT, "model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
