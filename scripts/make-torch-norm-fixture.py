#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures of the normalization tests (test/nn/norm-torch.test.ts):

  test/fixtures/torch-norm.safetensors
      BatchNorm1d / BatchNorm2d (two training steps, then evaluation), LayerNorm and
      LocalResponseNorm: inputs, outputs, upstream gradients, the gradients of the input
      and the parameters, and the running statistics, all computed in float64 from
      float32 values. Keys "<case>.<what>"; see each case below.
  test/fixtures/torch-norm-sequential.safetensors
      state_dict() of a small conv -> BatchNorm2d -> ReLU -> ... -> BatchNorm1d -> Linear
      Sequential after a few training-mode batches (float32, num_batches_tracked int64,
      as PyTorch saves it); its evaluation-mode input and output are "seq.input" and
      "seq.output" of torch-norm.safetensors.

The files are written from the safetensors specification with the standard library
(8-byte little-endian header length, JSON header padded with spaces, little-endian
row-major data), so nothing of dendrite is involved in making them.

Needs PyTorch: /usr/bin/python3 with Debian's python3-torch.
Run: /usr/bin/python3 scripts/make-torch-norm-fixture.py
"""
import json
import os
import struct

import torch
from torch import nn

FORMATS = {torch.float32: ("F32", "f"), torch.int64: ("I64", "q")}


def write_safetensors(path, tensors, metadata):
    """tensors: name -> float32 or int64 torch tensor, written by the format's specification."""
    header = {"__metadata__": metadata}
    data = bytearray()
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        dtype, code = FORMATS[t.dtype]
        values = t.flatten().tolist()
        begin = len(data)
        data += struct.pack("<%d%s" % (len(values), code), *values)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [begin, len(data)]}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)


def uniform(*shape, lo=-1.0, hi=1.0):
    """float32 values (exactly representable), widened to float64."""
    return (torch.rand(*shape, dtype=torch.float32) * (hi - lo) + lo).to(torch.float64)


def channel_offsets(x, offsets):
    """x + offsets[c] on channel axis 1."""
    shape = [1, len(offsets)] + [1] * (x.dim() - 2)
    return (x + torch.tensor(offsets, dtype=torch.float32).to(torch.float64).reshape(shape)).to(torch.float32).to(torch.float64)


def randomize(layer):
    """Non-default affine parameters and running statistics, float32-representable."""
    with torch.no_grad():
        if getattr(layer, "weight", None) is not None:
            layer.weight.copy_(uniform(*layer.weight.shape, lo=0.5, hi=1.5))
            layer.bias.copy_(uniform(*layer.bias.shape))
        if getattr(layer, "running_mean", None) is not None:
            layer.running_mean.copy_(uniform(*layer.running_mean.shape))
            layer.running_var.copy_(uniform(*layer.running_var.shape, lo=0.5, hi=1.5))


def backward(layer, x, out, prefix, suffix):
    """One forward and backward with a random upstream gradient; records y, gy, gx and the parameter gradients."""
    x = x.clone().requires_grad_(True)
    layer.zero_grad()
    y = layer(x)
    gy = uniform(*y.shape)
    y.backward(gy)
    out[prefix + "y" + suffix] = y
    out[prefix + "gy" + suffix] = gy
    out[prefix + "gx" + suffix] = x.grad
    if getattr(layer, "weight", None) is not None:
        # Copies: zero_grad() of a later step clears these tensors in place.
        out[prefix + "gweight" + suffix] = layer.weight.grad.clone()
        out[prefix + "gbias" + suffix] = layer.bias.grad.clone()


def batch_norm_case(out, name, layer, shape, offsets):
    """Initial state, step 1 (forward), step 2 (forward + backward), running statistics, then evaluation (forward + backward)."""
    layer = layer.double()
    randomize(layer)
    p = name + "."
    if layer.affine:
        out[p + "weight"] = layer.weight.detach().clone()
        out[p + "bias"] = layer.bias.detach().clone()
    if layer.track_running_stats:
        out[p + "running_mean0"] = layer.running_mean.clone()
        out[p + "running_var0"] = layer.running_var.clone()
    layer.train()
    x1 = channel_offsets(uniform(*shape, lo=-2.0, hi=2.0), offsets)
    with torch.no_grad():
        out[p + "y1"] = layer(x1)
    out[p + "x1"] = x1
    x2 = channel_offsets(uniform(*shape, lo=-2.0, hi=2.0), offsets)
    out[p + "x2"] = x2
    backward(layer, x2, out, p, "2")
    if layer.track_running_stats:
        out[p + "running_mean"] = layer.running_mean.clone()
        out[p + "running_var"] = layer.running_var.clone()
        assert int(layer.num_batches_tracked) == 2
    layer.eval()
    x3 = channel_offsets(uniform(3, *shape[1:], lo=-2.0, hi=2.0), offsets)
    out[p + "x3"] = x3
    backward(layer, x3, out, p, "3")


def plain_case(out, name, layer, x):
    """Forward and backward of a layer without state."""
    layer = layer.double()
    randomize(layer)
    p = name + "."
    if getattr(layer, "weight", None) is not None:
        out[p + "weight"] = layer.weight.detach().clone()
        out[p + "bias"] = layer.bias.detach().clone()
    out[p + "x"] = x
    backward(layer, x, out, p, "")


def build_sequential():
    """The state-dict model, layer for layer as the dendrite test builds it."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),                      # 0
        nn.BatchNorm2d(4),                                  # 1
        nn.ReLU(),                                          # 2
        nn.Conv2d(4, 6, 3, stride=2, padding=1, bias=False),  # 3
        nn.BatchNorm2d(6, momentum=None),                   # 4
        nn.ReLU(),                                          # 5
        nn.Flatten(),                                       # 6
        nn.Linear(6 * 4 * 4, 8),                            # 7
        nn.BatchNorm1d(8, eps=1e-3),                        # 8
        nn.ReLU(),                                          # 9
        nn.Linear(8, 5),                                    # 10
    )


def main():
    torch.manual_seed(0)
    out = {}
    batch_norm_case(out, "bn2d", nn.BatchNorm2d(3), [4, 3, 5, 5], [1.0, -3.0, 0.5])
    batch_norm_case(out, "bn1d", nn.BatchNorm1d(5, momentum=None), [8, 5], [0.0, 2.0, -1.0, 4.0, 0.25])
    batch_norm_case(out, "bn1d3", nn.BatchNorm1d(4, affine=False, momentum=0.3, eps=1e-3), [3, 4, 6], [0.5, -0.5, 2.0, 0.0])
    batch_norm_case(out, "bn2d_batch_stats", nn.BatchNorm2d(2, track_running_stats=False), [2, 2, 3, 4], [0.0, 1.0])
    plain_case(out, "ln", nn.LayerNorm([4, 6]), uniform(3, 4, 6, lo=-2.0, hi=2.0) + 1.5)
    plain_case(out, "ln_plain", nn.LayerNorm(6, elementwise_affine=False, eps=1e-3), uniform(5, 6, lo=-3.0, hi=3.0))
    plain_case(out, "lrn", nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0), uniform(2, 7, 3, 3, lo=-20.0, hi=20.0))
    plain_case(out, "lrn_even", nn.LocalResponseNorm(4, alpha=0.5, beta=0.6, k=1.5), uniform(2, 6, 5, lo=-2.0, hi=2.0))

    model = build_sequential()
    for layer in model:
        if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
            randomize(layer)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(6, 1, 8, 8) * 2 - 0.5)
    state = model.state_dict()
    model = model.double().eval()
    x = uniform(2, 1, 8, 8)
    with torch.no_grad():
        out["seq.input"] = x
        out["seq.output"] = model(x)

    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    made_by = "scripts/make-torch-norm-fixture.py (torch %s)" % torch.__version__
    write_safetensors(os.path.join(here, "torch-norm.safetensors"), {k: v.to(torch.float32) for k, v in out.items()}, {"made_by": made_by})
    write_safetensors(os.path.join(here, "torch-norm-sequential.safetensors"), state, {"format": "pt", "made_by": made_by})
    print("wrote", len(out), "reference tensors and", ", ".join(state.keys()))


if __name__ == "__main__":
    main()
