#!/usr/bin/env python3
"""Writes the PyTorch-layout fixtures for test/io/pytorch-layout.test.ts:

  test/fixtures/torch-sequential.safetensors     model.state_dict() of build_model(), as PyTorch names it
  test/fixtures/torch-sequential-io.safetensors  "input" [2, 1, 12, 12] and the model's "output" in eval mode

The files are written from the safetensors specification with the standard
library (8-byte little-endian header length, JSON header padded with spaces,
little-endian row-major data), keys sorted by name as Hugging Face's writer
orders tensors of one dtype, so nothing of dendrite is involved in making them.
test/io/pytorch-layout.test.ts builds the same Sequential with dd.nn.

Needs PyTorch: /usr/bin/python3 with Debian's python3-torch.
Run: /usr/bin/python3 scripts/make-torch-sequential-fixture.py
"""
import json
import os
import struct

import torch
from torch import nn


def build_model():
    """The model, layer for layer as the dendrite test builds it."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),                 # 0
        nn.ReLU(),                                     # 1
        nn.MaxPool2d(2),                               # 2
        nn.Conv2d(4, 6, 3, stride=2, padding=1),       # 3
        nn.Tanh(),                                     # 4
        nn.AvgPool2d(2),                               # 5
        nn.Flatten(),                                  # 6
        nn.Linear(6, 16),                              # 7
        nn.LeakyReLU(0.1),                             # 8
        nn.Dropout(0.5),                               # 9
        nn.Sequential(nn.Linear(16, 10), nn.ELU()),    # 10 (names 10.0.weight, 10.0.bias)
        nn.Linear(10, 5, bias=False),                  # 11
    )


def write_safetensors(path, tensors, metadata):
    """tensors: name -> float32 torch tensor. Written by the format's specification."""
    header = {"__metadata__": metadata}
    data = bytearray()
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().to(torch.float32)
        values = t.flatten().tolist()
        begin = len(data)
        data += struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [begin, len(data)]}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def main():
    torch.manual_seed(0)
    model = build_model().eval()
    x = torch.rand(2, 1, 12, 12) * 2 - 1
    with torch.no_grad():
        y = model(x)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    made_by = "scripts/make-torch-sequential-fixture.py (torch %s)" % torch.__version__
    write_safetensors(os.path.join(here, "torch-sequential.safetensors"), model.state_dict(), {"format": "pt", "made_by": made_by})
    write_safetensors(os.path.join(here, "torch-sequential-io.safetensors"), {"input": x, "output": y}, {"made_by": made_by})
    print("wrote", ", ".join(model.state_dict().keys()))


if __name__ == "__main__":
    main()
