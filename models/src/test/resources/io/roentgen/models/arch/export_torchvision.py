"""Exports torchvision reference networks for TorchvisionCrossCheckTest.

usage: /usr/bin/python3 export_torchvision.py OUT_DIR ARCH [ARCH ...]

For each ARCH (resnet18, resnet34, resnet50, densenet121, mobilenet_v2) it builds torchvision's
model with 1 input channel and 2 classes (seeded), gives every batch norm non-trivial statistics
and affine parameters (so that a swapped mean/variance or weight/bias cannot go unnoticed), runs a
seeded (2, 1, 64, 64) input in eval mode and writes to OUT_DIR/ARCH/:
  index.json  {"parameters": {state_dict key: {"file", "shape"}}, "input": {...}, "output": {...},
               "trainable_parameters": count}
  *.f32       each tensor as raw little-endian float32, C order
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision

BATCH, CHANNELS, SIZE, CLASSES = 2, 1, 64, 2


def single_channel(arch, channels=CHANNELS):
    if arch.startswith("resnet"):
        model = getattr(torchvision.models, arch)(weights=None, num_classes=CLASSES)
        model.conv1 = nn.Conv2d(channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    elif arch == "densenet121":
        model = torchvision.models.densenet121(weights=None, num_classes=CLASSES)
        model.features.conv0 = nn.Conv2d(channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
    elif arch == "mobilenet_v2":
        model = torchvision.models.mobilenet_v2(weights=None, num_classes=CLASSES)
        model.features[0][0] = nn.Conv2d(channels, 32, kernel_size=3, stride=2, padding=1, bias=False)
    else:
        raise SystemExit("unknown architecture " + arch)
    return model


def randomise_batch_norms(model, generator, channels=CHANNELS):
    """Random affine parameters, then running statistics measured on random batches (cumulative
    average), so that every BN has its own non-trivial mean and variance and the activations stay
    in a range where the output depends on the input."""
    batch_norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for module in batch_norms:
            n = module.num_features
            module.weight.copy_(0.5 + torch.rand(n, generator=generator))
            module.bias.copy_(0.2 * torch.randn(n, generator=generator))
            module.reset_running_stats()
            module.momentum = None
        model.train()
        for _ in range(2):
            model(torch.randn(4, channels, SIZE, SIZE, generator=generator))
        for module in batch_norms:
            module.momentum = 0.1


def write_tensor(directory, name, tensor):
    file = name + ".f32"
    tensor.detach().contiguous().numpy().astype("<f4").tofile(os.path.join(directory, file))
    return {"file": file, "shape": list(tensor.shape)}


def export(arch, out_dir):
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    model = single_channel(arch)
    randomise_batch_norms(model, generator)
    model.eval()
    directory = os.path.join(out_dir, arch)
    os.makedirs(directory, exist_ok=True)
    x = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=generator)
    with torch.no_grad():
        y = model(x)
    index = {
        "parameters": {
            key: write_tensor(directory, key, value)
            for key, value in model.state_dict().items()
            if not key.endswith("num_batches_tracked")
        },
        "input": write_tensor(directory, "input", x),
        "output": write_tensor(directory, "output", y),
        "trainable_parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
    }
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump(index, f)


def main():
    # One thread: on a shared machine OpenMP spin-waiting made two threads many times slower.
    torch.set_num_threads(1)
    out_dir = sys.argv[1]
    for arch in sys.argv[2:]:
        export(arch, out_dir)


if __name__ == "__main__":
    main()
