"""Grad-CAM and Grad-CAM++ in PyTorch with hooks, as pytorch-grad-cam computes them, for GradCamReferenceTest.

usage: /usr/bin/python3 gradcam_reference.py OUT_DIR ARCH:CHANNELS [ARCH:CHANNELS ...]

For each ARCH (resnet18, densenet121, mobilenet_v2, small) with CHANNELS input channels and 2
classes: the weights (torchvision-named, batch norms randomised by export_torchvision.py), a seeded
(2, C, 96, 96) input, the logits and, for class 1, the raw maps before any resizing or scaling, in
OUT_DIR/ARCH-C/ with an index.json as export_torchvision.py writes it. pytorch-grad-cam itself is
not installable here: ActivationsAndGradients, GradCAM.get_cam_weights, GradCAMPlusPlus.get_cam_weights
and BaseCAM's relu of the weighted sum are re-typed below from its source.
"""
import json
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "arch"))
from export_torchvision import randomise_batch_norms, single_channel, write_tensor  # noqa: E402

SIZE, CLASSES, TARGET = 96, 2, 1  # 3 x 3 maps at the last stage of the torchvision networks


def small(channels):
    """Roentgen's `small` (models/arch/SmallCnn.java) in PyTorch, with the same module names."""
    layers = OrderedDict()
    widths = [channels, 32, 64, 64]
    for i in range(3):
        n = i + 1
        layers["conv%d" % n] = nn.Conv2d(widths[i], widths[n], 3, 1, 1, bias=False)
        layers["bn%d" % n] = nn.BatchNorm2d(widths[n])
        layers["relu%d" % n] = nn.ReLU(inplace=True)
        if i < 2:
            layers["pool%d" % n] = nn.MaxPool2d(2, 2)
    layers["avgpool"] = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    layers["fc1"] = nn.Linear(64, 64)
    layers["relu4"] = nn.ReLU(inplace=True)
    layers["fc2"] = nn.Linear(64, CLASSES)
    return nn.Sequential(layers)


def target_layer(arch, model):
    """The default layers of SplitNetwork.java: the last convolutional stage."""
    if arch == "small":
        return model.relu3
    if arch.startswith("resnet"):
        return model.layer4
    return model.features  # densenet121 (norm5's output) and mobilenet_v2


class ActivationsAndGradients:
    """pytorch-grad-cam's hooks. The activation is cloned: DenseNet's forward applies an in-place
    ReLU to the hooked output afterwards (pytorch-grad-cam on CPU then sees post-ReLU values)."""

    def __init__(self, layer):
        self.activations, self.gradients = [], []
        layer.register_forward_hook(self.save_activation)
        layer.register_forward_hook(self.save_gradient)

    def save_activation(self, module, inputs, output):
        self.activations.append(output.clone().detach())

    def save_gradient(self, module, inputs, output):
        def store(grad):
            self.gradients = [grad.detach()] + self.gradients
        output.register_hook(store)


def grad_cam_weights(grads, activations):
    return np.mean(grads, axis=(2, 3))


def grad_cam_plus_plus_weights(grads, activations):
    grads_power_2 = grads ** 2
    grads_power_3 = grads_power_2 * grads
    sum_activations = np.sum(activations, axis=(2, 3))
    eps = 0.000001
    aij = grads_power_2 / (2 * grads_power_2 + sum_activations[:, :, None, None] * grads_power_3 + eps)
    aij = np.where(grads != 0, aij, 0)
    weights = np.maximum(grads, 0) * aij
    return np.sum(weights, axis=(2, 3))


def cam(weights_of, activations, grads):
    weights = weights_of(grads, activations)
    weighted = weights[:, :, None, None] * activations
    return np.maximum(weighted.sum(axis=1), 0)


def export(arch, channels, out_dir):
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    model = small(channels) if arch == "small" else single_channel(arch, channels)
    randomise_batch_norms(model, generator, channels)
    model.eval()
    hooks = ActivationsAndGradients(target_layer(arch, model))
    x = torch.randn(2, channels, SIZE, SIZE, generator=generator)
    logits = model(x)
    model.zero_grad()
    logits[:, TARGET].sum().backward()
    activations = hooks.activations[0].numpy()
    grads = hooks.gradients[0].numpy()
    directory = os.path.join(out_dir, "%s-%d" % (arch, channels))
    os.makedirs(directory, exist_ok=True)
    index = {
        "parameters": {
            key: write_tensor(directory, key, value)
            for key, value in model.state_dict().items()
            if not key.endswith("num_batches_tracked")
        },
        "input": write_tensor(directory, "input", x),
        "logits": write_tensor(directory, "logits", logits),
        "gradcam": write_tensor(directory, "gradcam", torch.from_numpy(cam(grad_cam_weights, activations, grads))),
        "gradcam++": write_tensor(directory, "gradcampp",
                                  torch.from_numpy(cam(grad_cam_plus_plus_weights, activations, grads))),
    }
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump(index, f)


def main():
    torch.set_num_threads(1)
    out_dir = sys.argv[1]
    for spec in sys.argv[2:]:
        arch, channels = spec.split(":")
        export(arch, int(channels), out_dir)


if __name__ == "__main__":
    main()
