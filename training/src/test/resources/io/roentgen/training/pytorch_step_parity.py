"""PyTorch reference for PytorchStepParityTest: training steps in train mode, written out tensor by
tensor so that Roentgen can repeat them from the same weights on the same batches.

usage: /usr/bin/python3 pytorch_step_parity.py OUT_DIR ARCH [ARCH ...]

OUT_DIR/schedules.json: torch.optim.lr_scheduler values per step for Roentgen's schedules.
OUT_DIR/ARCH/index.json with raw little-endian float32 tensors (*.f32) beside it:
  initial   every state_dict tensor (parameters and batch-norm running statistics) before training
  batches   20 batches: images (B, 1, S, S) and labels
  cases     optimizer configurations (step 2 and curves for small and resnet18 only): the loss of step 1; float64 gradients and PyTorch's own
            float32 error against them, per tensor, in NCHW and in channels-last; for the first two (one without, one with
            class weights) every parameter's gradient of step 1 and the state (weights and running
            statistics) after it; for all, the state after step 2 (on batch 1), which the
            optimizer's moments after step 1 decide
  curves    20 steps with a learning-rate schedule: the loss of every step, in float32 and float64

The recipe is Roentgen's (docs/DECISIONS.md): weight decay only on weights of rank >= 2 (two
parameter groups), the class-weighted loss as a plain mean over the cases
(cross_entropy(weight=w, reduction='none').mean(), not PyTorch's sum(w*l)/sum(w)), gradient
clipping with clip_grad_norm_ before the optimizer. MobileNetV2's classifier dropout is set to 0:
the two engines draw different random masks, so a dropout step cannot be compared.
"""
import collections
import copy
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

CHANNELS, SIZE, CLASSES, BATCH, STEPS = 1, 32, 2, 8, 20
CLASS_WEIGHTS = [0.75, 1.5]
# Step 2 and the 20-step curves only where training is well-conditioned at this size: MobileNetV2
# and DenseNet-121 at 32 px, batch 8 (batch norms over 8 values in their 1x1 last stages) amplify
# float32 rounding so much that PyTorch's own float32 and float64 MobileNetV2 runs part by 0.01 in
# the loss after 2 AdamW steps (docs/DECISIONS.md 52).
MULTI_STEP_ARCHITECTURES = ("small", "resnet18")

CASES = [
    {"name": "adamw", "optimizer": "adamw", "lr": 1e-3, "weight_decay": 0.05, "momentum": 0.0,
     "nesterov": False, "class_weights": None, "clip_fraction": 0.0, "gradients": True},
    {"name": "sgd_momentum_weighted", "optimizer": "sgd", "lr": 0.01, "weight_decay": 5e-4,
     "momentum": 0.9, "nesterov": False, "class_weights": CLASS_WEIGHTS, "clip_fraction": 0.0,
     "gradients": True},
    {"name": "sgd_nesterov_weighted_clipped", "optimizer": "sgd", "lr": 0.01, "weight_decay": 5e-4,
     "momentum": 0.9, "nesterov": True, "class_weights": CLASS_WEIGHTS, "clip_fraction": 0.5,
     "gradients": False},
    {"name": "adam_l2", "optimizer": "adam", "lr": 1e-3, "weight_decay": 0.01, "momentum": 0.0,
     "nesterov": False, "class_weights": None, "clip_fraction": 0.0, "gradients": False},
]
# 20 steps = 4 epochs of 5 steps: one epoch of linear warm-up, then the schedule. Learning rates a
# tenth of the cases': at 1e-3 PyTorch's own float32 and float64 runs of ResNet-18 (AdamW) part by
# 0.004 in the loss within 5 steps, so no implementation could be held to 1e-3 there.
CURVES = [
    dict(CASES[0], name="adamw_cosine_weighted", class_weights=CLASS_WEIGHTS, lr=1e-4,
         schedule={"kind": "cosine", "epochs": 4, "steps_per_epoch": 5, "warmup_epochs": 1.0,
                   "step_epochs": 1, "gamma": 0.1}),
    dict(CASES[2], name="sgd_nesterov_step_clipped", lr=1e-3,
         schedule={"kind": "step", "epochs": 4, "steps_per_epoch": 5, "warmup_epochs": 1.0,
                   "step_epochs": 1, "gamma": 0.5}),
]
# Schedules compared value by value (no model needed).
SCHEDULES = [
    {"kind": "cosine", "epochs": 10, "steps_per_epoch": 7, "warmup_epochs": 2.0, "step_epochs": 1, "gamma": 0.1},
    {"kind": "cosine", "epochs": 6, "steps_per_epoch": 5, "warmup_epochs": 0.0, "step_epochs": 1, "gamma": 0.1},
    {"kind": "step", "epochs": 12, "steps_per_epoch": 4, "warmup_epochs": 1.5, "step_epochs": 3, "gamma": 0.5},
    {"kind": "step", "epochs": 9, "steps_per_epoch": 3, "warmup_epochs": 0.0, "step_epochs": 2, "gamma": 0.1},
    {"kind": "constant", "epochs": 5, "steps_per_epoch": 4, "warmup_epochs": 1.0, "step_epochs": 1, "gamma": 0.1},
]


def small():
    """Roentgen's "small" network (SmallCnn) with the same child names."""
    layers = collections.OrderedDict()
    channels = CHANNELS
    for i, filters in enumerate([32, 64, 64], start=1):
        layers["conv%d" % i] = nn.Conv2d(channels, filters, 3, 1, 1, bias=False)
        layers["bn%d" % i] = nn.BatchNorm2d(filters)
        layers["relu%d" % i] = nn.ReLU()
        if i < 3:
            layers["pool%d" % i] = nn.MaxPool2d(2, 2)
        channels = filters
    layers["avgpool"] = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten())
    layers["fc1"] = nn.Linear(channels, 64)
    layers["relu4"] = nn.ReLU()
    layers["fc2"] = nn.Linear(64, CLASSES)
    return nn.Sequential(layers)


def network(arch):
    if arch == "small":
        return small()
    if arch == "resnet18":
        model = torchvision.models.resnet18(weights=None, num_classes=CLASSES)
        model.conv1 = nn.Conv2d(CHANNELS, 64, kernel_size=7, stride=2, padding=3, bias=False)
    elif arch == "densenet121":
        model = torchvision.models.densenet121(weights=None, num_classes=CLASSES)
        model.features.conv0 = nn.Conv2d(CHANNELS, 64, kernel_size=7, stride=2, padding=3, bias=False)
    elif arch == "mobilenet_v2":
        model = torchvision.models.mobilenet_v2(weights=None, num_classes=CLASSES, dropout=0.0)
        model.features[0][0] = nn.Conv2d(CHANNELS, 32, kernel_size=3, stride=2, padding=1, bias=False)
    else:
        raise SystemExit("unknown architecture " + arch)
    return model


def randomise_batch_norms(model, generator):
    """Non-trivial affine parameters and running statistics, so that a swapped weight/bias or
    mean/variance cannot go unnoticed."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                n = module.num_features
                module.weight.copy_(0.5 + torch.rand(n, generator=generator))
                module.bias.copy_(0.2 * torch.randn(n, generator=generator))
                module.running_mean.copy_(0.1 * torch.randn(n, generator=generator))
                module.running_var.copy_(0.5 + torch.rand(n, generator=generator))


def make_batches(generator):
    """Noise with a faint central blob in class 1 (both classes in every batch): a loss that can fall."""
    yy, xx = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE), indexing="ij")
    blob = torch.exp(-((yy - SIZE / 2) ** 2 + (xx - SIZE / 2) ** 2) / (2 * 4.0 ** 2))
    batches = []
    for _ in range(STEPS):
        labels = torch.randperm(BATCH, generator=generator) % 2
        images = torch.randn(BATCH, CHANNELS, SIZE, SIZE, generator=generator)
        images += labels.view(-1, 1, 1, 1).float() * blob
        batches.append((images, labels))
    return batches


def optimizer_for(model, case):
    """Roentgen's recipe: weight decay on weights of rank >= 2 only (not on biases, not on BN)."""
    decayed = [p for p in model.parameters() if p.ndim >= 2]
    others = [p for p in model.parameters() if p.ndim < 2]
    groups = [{"params": decayed, "weight_decay": case["weight_decay"]},
              {"params": others, "weight_decay": 0.0}]
    if case["optimizer"] == "adamw":
        return torch.optim.AdamW(groups, lr=case["lr"], betas=(0.9, 0.999), eps=1e-8)
    if case["optimizer"] == "adam":
        return torch.optim.Adam(groups, lr=case["lr"], betas=(0.9, 0.999), eps=1e-8)
    return torch.optim.SGD(groups, lr=case["lr"], momentum=case["momentum"], nesterov=case["nesterov"])


def scheduler_for(optimizer, spec):
    """PyTorch's composition of Roentgen's schedule: LinearLR warm-up from lr/W to lr over the W
    warm-up steps, then (SequentialLR, the torchvision reference recipe) the main schedule counted
    from the end of the warm-up."""
    spe = spec["steps_per_epoch"]
    total = spec["epochs"] * spe
    warmup = round(spec["warmup_epochs"] * spe)
    if spec["kind"] == "cosine":
        main = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, total - warmup), eta_min=0.0)
    elif spec["kind"] == "step":
        main = torch.optim.lr_scheduler.StepLR(optimizer, step_size=spe * spec["step_epochs"], gamma=spec["gamma"])
    else:
        main = torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)
    if warmup == 0:
        return main
    linear = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0 / warmup, end_factor=1.0,
                                               total_iters=max(1, warmup - 1))
    return torch.optim.lr_scheduler.SequentialLR(optimizer, [linear, main], milestones=[warmup])


def schedule_values(spec, base=0.1):
    parameter = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=base)
    scheduler = scheduler_for(optimizer, spec)
    values = []
    for _ in range(spec["epochs"] * spec["steps_per_epoch"]):
        values.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return dict(spec, base=base, rates=values)


def loss_of(logits, labels, class_weights):
    weight = None if class_weights is None else torch.tensor(class_weights, dtype=logits.dtype)
    return F.cross_entropy(logits, labels, weight=weight, reduction="none").mean()


class Writer:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def tensor(self, tensor):
        self.count += 1
        file = "t%05d.f32" % self.count
        tensor.detach().contiguous().numpy().astype("<f4").tofile(os.path.join(self.directory, file))
        return {"file": file, "shape": list(tensor.shape)}

    def state(self, model):
        return {k: self.tensor(v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}


def train_step(model, optimizer, batch, case, max_norm):
    images, labels = batch
    optimizer.zero_grad(set_to_none=False)
    loss = loss_of(model(images), labels, case["class_weights"])
    loss.backward()
    if max_norm > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    return loss.item()


def gradient_norm(model, initial, batch, case):
    """The norm of the first step's gradients, to set a clipping threshold that really clips."""
    model.load_state_dict(initial)
    model.train()
    model.zero_grad()
    loss_of(model(batch[0]), batch[1], case["class_weights"]).backward()
    return math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters() if p.grad is not None))


def float64_gradients(model, initial, batch, case):
    """The same step in float64: the reference both float32 implementations are measured against
    (some tensors are ill-conditioned in float32: the BN-normalised stem of MobileNetV2, or biases
    whose exact gradient is 0 because a train-mode BN after them removes any shift)."""
    exact = copy.deepcopy(model)
    exact.load_state_dict(initial)
    exact.double().train()
    exact.zero_grad()
    weights = None if case["class_weights"] is None else torch.tensor(case["class_weights"], dtype=torch.float64)
    F.cross_entropy(exact(batch[0].double()), batch[1], weight=weights, reduction="none").mean().backward()
    return {k: p.grad for k, p in exact.named_parameters()}


def channels_last_gradients(model, initial, batch, case):
    """The same float32 step with the network and the batch in channels-last memory format, the
    layout Roentgen trains in on the CPU (docs/DECISIONS.md 30): other kernels, another float32
    rounding. Where a network amplifies rounding (DenseNet-121 at 32 px: PyTorch's own float32
    gradients are up to 3e-3 off float64 in NCHW and 3e-2 in channels-last), how far one float32
    computation happens to land from float64 says little; the worse of the two layouts says how far
    a correct one can land."""
    other = copy.deepcopy(model)
    other.load_state_dict(initial)
    other.to(memory_format=torch.channels_last).train()
    other.zero_grad()
    images = batch[0].contiguous(memory_format=torch.channels_last)
    loss_of(other(images), batch[1], case["class_weights"]).backward()
    return {k: p.grad for k, p in other.named_parameters()}


def norm_relative(value, reference):
    return float((value - reference).norm() / max(float(reference.norm()), 1e-300))


def run_case(model, initial, batches, case, writer, multi_step):
    norm = gradient_norm(model, initial, batches[0], case) if case["clip_fraction"] > 0 else 0.0
    max_norm = case["clip_fraction"] * norm
    model.load_state_dict(initial)
    model.train()
    optimizer = optimizer_for(model, case)
    result = {k: v for k, v in case.items() if k not in ("gradients", "clip_fraction")}
    result["max_grad_norm"] = max_norm
    images, labels = batches[0]
    optimizer.zero_grad(set_to_none=False)
    loss = loss_of(model(images), labels, case["class_weights"])
    loss.backward()
    result["loss"] = loss.item()
    if case["gradients"]:
        result["gradients"] = {k: writer.tensor(p.grad) for k, p in model.named_parameters()}
        exact = float64_gradients(model, initial, batches[0], case)
        result["gradients_float64"] = {k: writer.tensor(g) for k, g in exact.items()}
        result["float32_errors"] = {k: norm_relative(p.grad.double(), exact[k]) for k, p in model.named_parameters()}
        channels_last = channels_last_gradients(model, initial, batches[0], case)
        result["float32_errors_channels_last"] = {k: norm_relative(g.double(), exact[k]) for k, g in channels_last.items()}
    if max_norm > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
    optimizer.step()
    if case["gradients"]:
        result["after_step"] = writer.state(model)
    if multi_step:
        train_step(model, optimizer, batches[1], case, max_norm)
        result["after_two_steps"] = writer.state(model)
    return result


def run_curve(model, initial, batches, curve):
    """20 steps in float32, and the same in float64: where PyTorch's own float32 run departs from
    its float64 run (MobileNetV2 does by 0.01-0.06 within 20 steps at 32 px), no float32
    implementation can be held closer than that."""
    result = run_curve_in(model, initial, batches, curve)
    exact = copy.deepcopy(model).double()
    initial64 = {k: v.double() if v.is_floating_point() else v for k, v in initial.items()}
    result["losses_float64"] = run_curve_in(exact, initial64, [(x.double(), y) for x, y in batches], curve)["losses"]
    return result


def run_curve_in(model, initial, batches, curve):
    model.load_state_dict(initial)
    model.train()
    optimizer = optimizer_for(model, curve)
    scheduler = scheduler_for(optimizer, curve["schedule"])
    max_norm = 1.0 if curve["clip_fraction"] > 0 else 0.0
    losses, rates = [], []
    for batch in batches:
        rates.append(optimizer.param_groups[0]["lr"])
        losses.append(train_step(model, optimizer, batch, curve, max_norm))
        scheduler.step()
    result = {k: v for k, v in curve.items() if k not in ("gradients", "clip_fraction")}
    return dict(result, max_grad_norm=max_norm, losses=losses, rates=rates)


def export(arch, out_dir):
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    model = network(arch)
    randomise_batch_norms(model, generator)
    batches = make_batches(generator)
    initial = {k: v.clone() for k, v in model.state_dict().items()}
    multi_step = arch in MULTI_STEP_ARCHITECTURES
    directory = os.path.join(out_dir, arch)
    os.makedirs(directory, exist_ok=True)
    writer = Writer(directory)
    index = {
        "image_size": SIZE,
        "initial": writer.state(model),
        "batches": [{"images": writer.tensor(x), "labels": y.tolist()} for x, y in batches],
        "cases": [run_case(model, initial, batches, case, writer, multi_step) for case in CASES],
        "curves": [run_curve(model, initial, batches, curve) for curve in CURVES] if multi_step else [],
    }
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump(index, f)


def main():
    # One thread: on a shared machine OpenMP spin-waiting made two threads many times slower.
    torch.set_num_threads(1)
    out_dir = sys.argv[1]
    with open(os.path.join(out_dir, "schedules.json"), "w") as f:
        json.dump([schedule_values(spec) for spec in SCHEDULES], f)
    for arch in sys.argv[2:]:
        started = time.time()
        export(arch, out_dir)
        print("%s: %.1f s" % (arch, time.time() - started), flush=True)


if __name__ == "__main__":
    main()
