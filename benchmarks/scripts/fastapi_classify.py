"""What many teams write instead of an inference server: FastAPI + uvicorn, pydicom and PyTorch
eager, one forward pass per request. Same contract as `roentgen serve` for benchmarks:
POST /v1/models/{model}/classify with an application/dicom body answers JSON scores.
The model is torchvision's resnet18 with a 1-channel stem and 2 classes, the architecture
`roentgen train --arch resnet18` makes (weights are random: they do not change the speed).
Preprocessing as Roentgen's standard spec does it in spirit: pixels to float, bilinear resize to
SIZE x SIZE, per-image standardisation.

    python3 benchmarks/scripts/fastapi_classify.py PORT [SIZE=224] [THREADS=nproc]
"""
import io
import os
import sys

import pydicom
import torch
import torchvision
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

port = int(sys.argv[1])
size = int(sys.argv[2]) if len(sys.argv) > 2 else 224
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count())
torch.set_num_interop_threads(1)

model = torchvision.models.resnet18(num_classes=2)
model.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
model.eval()
labels = ["nodule", "normal"]
app = FastAPI()


def preprocess(body: bytes) -> torch.Tensor:
    ds = pydicom.dcmread(io.BytesIO(body))
    x = torch.from_numpy(ds.pixel_array.astype("float32"))[None, None]
    x = torch.nn.functional.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    return (x - x.mean()) / (x.std() + 1e-6)


# async and inline, as the FastAPI tutorials do: one forward pass at a time, on all the threads.
@app.post("/v1/models/{name}/classify")
async def classify(name: str, request: Request):
    x = preprocess(await request.body())
    with torch.inference_mode():
        p = torch.softmax(model(x), dim=1)[0].tolist()
    return JSONResponse({"results": [{"model": name, "label": labels[int(p[1] > p[0])],
                                      "scores": dict(zip(labels, p))}]})


@app.get("/health/ready")
async def ready():
    return {"status": "ready"}


if __name__ == "__main__":
    with torch.inference_mode():  # first pass outside the measurement, as Roentgen warms up at load
        model(torch.zeros(1, 1, size, size))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
