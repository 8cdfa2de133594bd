#!/usr/bin/env python3
"""PyTorch eager reference for TrainInferBench: same architecture (torchvision, 1 input channel,
2 classes), AdamW + cross-entropy steps on random images, inference under torch.inference_mode at
batch 1 and at the training batch. Prints one JSON line.

Usage: train_infer_pytorch.py ARCH SIZE BATCH STEPS   (threads: torch.set_num_threads(nproc))
BENCH_DEVICE=gpu runs on the first CUDA device (a CUDA build of PyTorch); batches are made on the
host and copied inside the timing, as Roentgen's classifier copies its input.
BENCH_PRECISION=bf16 (or fp16) runs the training forward/loss and inference under
torch.autocast(device, dtype), what Roentgen's Autocast switches.
"""
import contextlib
import json
import os
import statistics
import sys
import time

import torch
import torchvision


# Batch-1 calls timed and run before them, as in TrainInferBench: both sides are timed in their
# steady state (the JVM's JIT needs 100-200 batch-1 calls to get there).
BATCH1_CALLS = 40
BATCH1_WARMUP = 200
# Full-batch inference calls timed, at least (a DenseNet-121 call takes about 1 s: 3 were too few
# for a stable median on a shared machine).
BATCH_CALLS = 6


def model(arch):
    if arch == "resnet18":
        m = torchvision.models.resnet18(num_classes=2)
        m.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    elif arch == "resnet50":
        m = torchvision.models.resnet50(num_classes=2)
        m.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    elif arch == "densenet121":
        m = torchvision.models.densenet121(num_classes=2)
        m.features.conv0 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    elif arch == "mobilenet_v2":
        m = torchvision.models.mobilenet_v2(num_classes=2)
        m.features[0][0] = torch.nn.Conv2d(1, 32, 3, 2, 1, bias=False)
    else:
        raise SystemExit("unknown arch " + arch)
    return m


def main():
    arch, size, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    threads = int(os.environ.get("THREADS", os.cpu_count()))
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    device = torch.device("cuda" if os.environ.get("BENCH_DEVICE") == "gpu" else "cpu")

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    precision = os.environ.get("BENCH_PRECISION", "fp32")
    dtypes = {"bf16": torch.bfloat16, "fp16": torch.float16}

    def amp():
        if precision == "fp32":
            return contextlib.nullcontext()
        return torch.autocast(device.type, dtype=dtypes[precision])

    m = model(arch).to(device)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    m.train()
    times = []
    for i in range(-2, steps):
        x = torch.randn(batch, 1, size, size)
        y = torch.randint(0, 2, (batch,))
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        with amp():
            loss = loss_fn(m(x.to(device)), y.to(device))
        loss.backward()
        opt.step()
        sync()
        if i >= 0:
            times.append(time.perf_counter() - t0)
    train = batch / statistics.median(times)
    m.eval()

    def infer(b, calls):
        t = []
        with torch.inference_mode(), amp():
            for i in range(-(BATCH1_WARMUP if b == 1 else 3), calls):
                x = torch.randn(b, 1, size, size)
                t0 = time.perf_counter()
                m(x.to(device)).float().softmax(1).cpu().numpy()
                if i >= 0:
                    t.append(time.perf_counter() - t0)
        return b / statistics.median(t)

    print(json.dumps({"engine": "pytorch " + torch.__version__, "device": device.type, "variant": os.environ.get("BENCH_VARIANT", "default"), "precision": precision, "arch": arch, "size": size, "batch": batch,
                      "threads": threads, "trainImagesPerSecond": round(train, 2),
                      "inferBatch1ImagesPerSecond": round(infer(1, BATCH1_CALLS), 2),
                      "inferBatchImagesPerSecond": round(infer(batch, max(steps, BATCH_CALLS)), 2)}))


if __name__ == "__main__":
    main()
