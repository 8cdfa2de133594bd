#!/usr/bin/python3
"""PyTorch side of quality-parity.sh: trains ARCH on a split manifest with `roentgen train`'s
default recipe and prints one JSON line with the test AUROC of the best validation epoch.

Usage: quality_parity_torch.py SPLIT_CSV ARCH SEED EPOCHS IMAGE_SIZE THREADS
Needs Debian's python3-torch (1.13), python3-torchvision, python3-pydicom, python3-numpy.

What is the same as `roentgen train` (read from its code; DECISIONS 52 for the optimizer side):
- Data: the manifest's split column (train / validation / test), one image per row.
- Preprocessing (TrainingSources.preprocessing = PreprocessingSpec.standard + normalisation):
  rescale slope/intercept, the file's window with the DICOM linear VOI function
  (VoiFunction: c - 0.5, w - 1) into [0, 1], resize to IMAGE_SIZE (area when shrinking,
  bilinear with half-pixel centres when growing; synth writes square images, so no padding),
  then (x - 0.5) / 0.25. Augmentation runs before the normalisation, on the [0, 1] image.
- `--augment mild` (Augmentation.mild, Augmenter): left-right flip p 0.5; with p 0.5 one affine
  warp (rotation U(-10, 10) degrees about the centre (w-1)/2, scale U(0.9, 1.1), shift
  U(-0.05, 0.05) x width / height), the inverse mapping and bilinear sampling of AffineWarp,
  neighbours outside read 0; with p 0.5 intensity jitter (x - mean) * U(0.9, 1.1) + mean +
  U(-0.1, 0.1). Drawn from torch's generator, not Roentgen's SplitMix stream.
- AdamW lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-4 on parameters of rank >= 2 only.
- Per-batch schedule: LinearLR warm-up from lr/W over W = 1 epoch of steps, then cosine to 0 over
  the remaining steps (SequentialLR, as in pytorch_step_parity.py).
- Class weights auto: w_c = N / (K n_c) over the training images; loss
  cross_entropy(weight=w, reduction='none').mean().
- Batch 32, a new shuffle each epoch, the last incomplete training batch dropped.
- Model selection: validation AUROC after every epoch; the best epoch (a tie goes to the lower
  validation loss) is the one scored on the test split.
- Initialisation scheme: Roentgen's (SmallCnn: Kaiming-normal fan-out convolutions; ResNet-18:
  torchvision's own, which Roentgen's follows, the 1-channel stem included).
Not the same: the initial weights' draws, the random streams, and the data
path (all images are decoded once into memory here; Roentgen's loader decodes each epoch).
"""
import copy
import csv
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import pydicom
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

BATCH = 32
LR = 1e-3
WEIGHT_DECAY = 1e-4
WARMUP_EPOCHS = 1
MEAN, STD = 0.5, 0.25


def small(classes):
    """Roentgen's `small` (SmallCnn), as in training's pytorch_step_parity.py, with its init scheme:
    convolutions kaiming_normal_(fan_out, relu), the linear layers PyTorch's default."""
    layers = []
    channels = 1
    for i, filters in enumerate([32, 64, 64], start=1):
        conv = nn.Conv2d(channels, filters, 3, 1, 1, bias=False)
        nn.init.kaiming_normal_(conv.weight, mode="fan_out", nonlinearity="relu")
        layers += [conv, nn.BatchNorm2d(filters), nn.ReLU()]
        if i < 3:
            layers.append(nn.MaxPool2d(2, 2))
        channels = filters
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 64), nn.ReLU(), nn.Linear(64, classes)]
    return nn.Sequential(*layers)


def network(arch, classes):
    if arch == "small":
        return small(classes)
    if arch == "resnet18":
        model = torchvision.models.resnet18(weights=None, num_classes=classes)
        model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
        # torchvision's ResNet.__init__ initialises every Conv2d it builds this way; a stem swapped
        # in afterwards would keep PyTorch's default (kaiming_uniform a=sqrt(5), 3x the scale),
        # which Roentgen's 1-channel stem does not use (ResNets: KAIMING_NORMAL_FAN_OUT).
        nn.init.kaiming_normal_(model.conv1.weight, mode="fan_out", nonlinearity="relu")
        return model
    raise SystemExit("unknown architecture " + arch + " (small or resnet18)")


def window(path):
    """The file's window over the modality values, into [0, 1] (DICOM's linear VOI function)."""
    ds = pydicom.dcmread(path)
    x = ds.pixel_array.astype(np.float64)
    x = x * float(getattr(ds, "RescaleSlope", 1)) + float(getattr(ds, "RescaleIntercept", 0))
    c = float(np.atleast_1d(ds.WindowCenter)[0])
    w = float(np.atleast_1d(ds.WindowWidth)[0])
    y = (x - (c - 0.5)) / (w - 1) + 0.5
    return np.clip(y, 0.0, 1.0).astype(np.float32)


def resize(image, size):
    t = torch.from_numpy(image)[None, None]
    h, w = image.shape
    if (h, w) == (size, size):
        return image
    mode = "area" if h > size else "bilinear"
    kwargs = {} if mode == "area" else {"align_corners": False}
    return F.interpolate(t, size=(size, size), mode=mode, **kwargs)[0, 0].numpy()


def load(split_csv, size):
    """Images in [0, 1] (before augmentation and normalisation) and labels, per split."""
    base = os.path.dirname(os.path.abspath(split_csv))
    rows = list(csv.DictReader(open(split_csv, newline="")))
    classes = sorted({r["label"] for r in rows})
    data = {}
    for name in ("train", "validation", "test"):
        part = [r for r in rows if r["split"] == name]
        images = np.stack([resize(window(os.path.join(base, r["path"])), size) for r in part])
        labels = np.array([classes.index(r["label"]) for r in part], dtype=np.int64)
        data[name] = (torch.from_numpy(images)[:, None], torch.from_numpy(labels))
    return data, classes


def affine_warp(images, radians, scale, shift_x, shift_y):
    """AffineWarp.apply for a batch: each output pixel p' samples p = R^-1 (p' - c - t) / s + c
    bilinearly, neighbours outside the image reading 0: grid_sample with align_corners=True (pixel
    i at -1 + 2 i / (n - 1)) and zero padding computes exactly that."""
    b, _, h, w = images.shape
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float64), torch.arange(w, dtype=torch.float64), indexing="ij")
    cos = (torch.cos(radians) / scale).view(b, 1, 1)
    sin = (torch.sin(radians) / scale).view(b, 1, 1)
    dx = xs[None] - cx - shift_x.view(b, 1, 1)
    dy = ys[None] - cy - shift_y.view(b, 1, 1)
    sx = cos * dx + sin * dy + cx
    sy = -sin * dx + cos * dy + cy
    grid = torch.stack([2 * sx / (w - 1) - 1, 2 * sy / (h - 1) - 1], dim=-1).float()
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


def augment_mild(images, generator):
    """Augmentation.mild on a batch in [0, 1]: flip, warp, intensity jitter, in Augmenter's order."""
    b = images.shape[0]

    def uniform(n, max_value):
        return (torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1) * max_value

    flip = torch.rand(b, generator=generator) < 0.5
    warp = torch.rand(b, generator=generator) < 0.5
    radians = torch.deg2rad(uniform(b, 10.0))
    scale = 1 + uniform(b, 0.1)
    shift_x = uniform(b, 0.05) * images.shape[3]
    shift_y = uniform(b, 0.05) * images.shape[2]
    jitter = torch.rand(b, generator=generator) < 0.5
    brightness = uniform(b, 0.1).float().view(b, 1, 1, 1)
    contrast = (1 + uniform(b, 0.1)).float().view(b, 1, 1, 1)
    out = torch.where(flip.view(b, 1, 1, 1), images.flip(3), images)
    out = torch.where(warp.view(b, 1, 1, 1), affine_warp(out, radians, scale, shift_x, shift_y), out)
    mean = out.mean(dim=(2, 3), keepdim=True)
    jittered = (out - mean) * contrast + mean + brightness
    return torch.where(jitter.view(b, 1, 1, 1), jittered, out)


def auroc(scores, labels):
    """Mann-Whitney AUROC with average ranks for ties."""
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels)
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    positives = labels == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def score(model, images, labels):
    """Class-1 probability AUROC and unweighted mean cross-entropy, in eval mode."""
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model((images[i:i + BATCH] - MEAN) / STD) for i in range(0, len(images), BATCH)])
    loss = F.cross_entropy(logits, labels).item()
    return auroc(torch.softmax(logits, 1)[:, 1].numpy(), labels.numpy()), loss


def schedule(optimizer, steps_per_epoch, epochs):
    total = steps_per_epoch * epochs
    warmup = round(WARMUP_EPOCHS * steps_per_epoch)
    main = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, total - warmup), eta_min=0.0)
    if warmup == 0:
        return main
    linear = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0 / warmup, end_factor=1.0,
                                               total_iters=max(1, warmup - 1))
    return torch.optim.lr_scheduler.SequentialLR(optimizer, [linear, main], milestones=[warmup])


def main():
    # SequentialLR in 1.13 passes an epoch to its schedulers and warns about it; the values are right
    # (pytorch_step_parity.py compares them with Roentgen's, step by step).
    warnings.filterwarnings("ignore", category=UserWarning, module="torch.optim.lr_scheduler")
    split_csv, arch = sys.argv[1], sys.argv[2]
    seed, epochs, size, threads = (int(v) for v in sys.argv[3:7])
    start = time.perf_counter()
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    data, classes = load(split_csv, size)
    train_x, train_y = data["train"]
    counts = torch.bincount(train_y, minlength=len(classes)).double()
    present = (counts > 0).sum()
    class_weights = torch.where(counts > 0, len(train_y) / (present * counts), torch.ones_like(counts)).float()
    model = network(arch, len(classes))
    decayed = [p for p in model.parameters() if p.ndim >= 2]
    others = [p for p in model.parameters() if p.ndim < 2]
    optimizer = torch.optim.AdamW([{"params": decayed, "weight_decay": WEIGHT_DECAY},
                                   {"params": others, "weight_decay": 0.0}], lr=LR, betas=(0.9, 0.999), eps=1e-8)
    steps_per_epoch = max(1, len(train_y) // BATCH)
    scheduler = schedule(optimizer, steps_per_epoch, epochs)
    best = (-math.inf, math.inf, 0, None)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(train_y), generator=generator)
        loss_sum = 0.0
        for step in range(steps_per_epoch):
            index = order[step * BATCH:(step + 1) * BATCH]
            x = (augment_mild(train_x[index], generator) - MEAN) / STD
            loss = F.cross_entropy(model(x), train_y[index], weight=class_weights, reduction="none").mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            loss_sum += loss.item()
        val_auroc, val_loss = score(model, *data["validation"])
        history.append([round(loss_sum / steps_per_epoch, 4), round(val_auroc, 4)])
        if best[3] is None or val_auroc > best[0] or (val_auroc == best[0] and val_loss < best[1]):
            best = (val_auroc, val_loss, epoch, copy.deepcopy(model.state_dict()))
    model.load_state_dict(best[3])
    test_auroc, _ = score(model, *data["test"])
    print(json.dumps({"side": "pytorch", "arch": arch, "seed": seed, "epochs": epochs, "best_epoch": best[2],
                      "validation_auroc": round(best[0], 4), "test_auroc": round(test_auroc, 4),
                      "seconds": round(time.perf_counter() - start, 1), "threads": threads,
                      "train_images": len(train_y), "history": history}))


if __name__ == "__main__":
    main()
