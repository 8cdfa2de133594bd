"""Grad-CAM in PyTorch eager with hooks, as pytorch-grad-cam does it, against plain inference: the
reference for ExplainBench (BENCHMARKS.md, "Explanations").

usage: python3 gradcam_pytorch.py ARCH SIZE CALLS [REPETITIONS]   (ARCH: resnet18 or densenet121)

torchvision's network with 1 input channel and 2 classes, seeded and untrained, eval mode, batch 1,
one thread per core as torch defaults; prints images/s of inference (no_grad) and explanations/s of
Grad-CAM (forward with hooks on the last convolutional stage, backward of the class logit, weights
and ReLU'd sum), medians (min-max) over repetitions after 5 warm-up calls.
"""
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision


def model_for(arch):
    if arch == "resnet18":
        m = torchvision.models.resnet18(weights=None, num_classes=2)
        m.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
        return m, m.layer4
    m = torchvision.models.densenet121(weights=None, num_classes=2)
    m.features.conv0 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    return m, m.features


def grad_cam(model, layer, x):
    store = {}

    def forward_hook(module, inputs, output):
        store["a"] = output.clone().detach()
        output.register_hook(lambda g: store.__setitem__("g", g.detach()))

    handle = layer.register_forward_hook(forward_hook)
    try:
        logits = model(x)
        model.zero_grad()
        logits[:, int(logits.argmax())].sum().backward()
    finally:
        handle.remove()
    a, g = store["a"].numpy(), store["g"].numpy()
    weights = g.mean(axis=(2, 3))
    return np.maximum((weights[:, :, None, None] * a).sum(axis=1), 0)


def rate(calls, fn):
    for _ in range(5):
        fn()
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return calls / (time.perf_counter() - start)


def main():
    arch, size, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    repetitions = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    torch.manual_seed(1)
    model, layer = model_for(arch)
    model.eval()
    x = torch.randn(1, 1, size, size)

    def classify():
        with torch.no_grad():
            model(x)

    infer, explain = [], []
    for _ in range(repetitions):
        infer.append(rate(calls, classify))
        explain.append(rate(calls, lambda: grad_cam(model, layer, x)))
    print("%s %dx%d, batch 1, %d calls x %d repetitions, torch %s, %d threads" % (
        arch, size, size, calls, repetitions, torch.__version__, torch.get_num_threads()))
    for name, values in (("classify images/s", infer), ("gradcam explanations/s", explain)):
        print("%-28s %.1f (%.1f-%.1f)" % (name, statistics.median(values), min(values), max(values)))


if __name__ == "__main__":
    main()
