#!/usr/bin/env python3
"""Writes test/fixtures/torch-pool.safetensors for test/nn/pooling-layers.test.ts
and test/nn/upsample.test.ts: PyTorch's outputs and input gradients, computed
in float64, for pooling in ceil mode (with and without padding,
countIncludePad both ways, dilation),
adaptive average and max pooling (sizes that do not divide, outputs larger
than the input, a kept axis) and F.interpolate in modes 'nearest' (by size
and by scale factor, recomputeScaleFactor both ways) and 'bilinear'
(alignCorners both ways).

For each case NAME the file holds NAME.x (the input, float32 values), NAME.gy
(the output gradient, float32 values), NAME.y (the output) and NAME.gx (the
gradient of sum(y * gy) with respect to x). The metadata entry "cases" lists
the cases as JSON: {"name", "op", "args"} with args named as dendrite names
them (camelCase). The file is written by scripts/make-torch-sequential-fixture.py's
writer (the safetensors specification with the standard library).

Needs PyTorch: /usr/bin/python3 with Debian's python3-torch.
Run: /usr/bin/python3 scripts/make-torch-pool-fixture.py
"""
import importlib.util
import json
import os

import torch
import torch.nn.functional as F

# name, op, input shape, dendrite's arguments (camelCase).
CASES = [
    ("max_ceil", "maxPool2d", [2, 3, 7, 9], {"kernelSize": 3, "stride": 2, "ceilMode": True}),
    ("max_ceil_pad", "maxPool2d", [1, 2, 6, 7], {"kernelSize": [3, 2], "stride": [2, 2], "padding": [1, 1], "ceilMode": True}),
    ("max_ceil_last_in_pad", "maxPool2d", [1, 2, 5, 5], {"kernelSize": 2, "stride": 2, "padding": 1, "ceilMode": True}),
    ("max_dilated", "maxPool2d", [1, 2, 9, 8], {"kernelSize": 3, "stride": 2, "padding": 1, "dilation": 2}),
    ("max_dilated_ceil", "maxPool2d", [1, 2, 10, 7], {"kernelSize": [2, 3], "stride": 2, "padding": 1, "dilation": [2, 1], "ceilMode": True}),
    ("avg_ceil", "avgPool2d", [2, 2, 7, 9], {"kernelSize": 3, "stride": 2, "ceilMode": True}),
    ("avg_ceil_pad", "avgPool2d", [1, 3, 6, 7], {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True}),
    ("avg_ceil_pad_exclude", "avgPool2d", [1, 3, 6, 7], {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}),
    ("avg_ceil_past_pad", "avgPool2d", [1, 1, 6, 6], {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True}),
    ("avg_ceil_rect", "avgPool2d", [2, 1, 5, 8], {"kernelSize": [2, 3], "stride": [2, 3], "padding": [1, 1], "ceilMode": True}),
    ("avg_ceil_rect_exclude", "avgPool2d", [2, 1, 5, 8], {"kernelSize": [2, 3], "stride": [2, 3], "padding": [1, 1], "ceilMode": True, "countIncludePad": False}),
    ("adaptive_avg_down", "adaptiveAvgPool2d", [2, 3, 7, 5], {"outputSize": [3, 2]}),
    ("adaptive_avg_up", "adaptiveAvgPool2d", [1, 2, 3, 5], {"outputSize": [7, 11]}),
    ("adaptive_avg_keep", "adaptiveAvgPool2d", [1, 2, 10, 9], {"outputSize": [4, None]}),
    ("adaptive_avg_global", "adaptiveAvgPool2d", [2, 3, 6, 5], {"outputSize": 1}),
    ("adaptive_max_down", "adaptiveMaxPool2d", [2, 3, 7, 5], {"outputSize": [3, 2]}),
    ("adaptive_max_up", "adaptiveMaxPool2d", [1, 2, 3, 5], {"outputSize": [7, 11]}),
    ("adaptive_max_keep", "adaptiveMaxPool2d", [1, 2, 10, 9], {"outputSize": [None, 4]}),
    ("nearest_size", "interpolate", [2, 2, 5, 7], {"size": [8, 4], "mode": "nearest"}),
    # 1/scale and in/out place the sources differently here (8·1.3 = 10.4, 6·0.7 = 4.2).
    ("nearest_scale", "interpolate", [1, 2, 8, 6], {"scaleFactor": [1.3, 0.7], "mode": "nearest"}),
    ("nearest_scale_double", "interpolate", [1, 1, 3, 7], {"scaleFactor": [2.2, 0.3], "mode": "nearest"}),
    ("nearest_scale_recompute", "interpolate", [1, 2, 8, 6], {"scaleFactor": [1.3, 0.7], "mode": "nearest", "recomputeScaleFactor": True}),
    ("bilinear_size", "interpolate", [2, 2, 5, 7], {"size": [9, 4], "mode": "bilinear", "alignCorners": False}),
    ("bilinear_size_align", "interpolate", [2, 2, 5, 7], {"size": [9, 4], "mode": "bilinear", "alignCorners": True}),
    ("bilinear_scale", "interpolate", [1, 2, 5, 6], {"scaleFactor": [0.7, 1.75], "mode": "bilinear", "alignCorners": False}),
    ("bilinear_scale_align", "interpolate", [1, 2, 4, 3], {"scaleFactor": 2, "mode": "bilinear", "alignCorners": True}),
    ("bilinear_to_one", "interpolate", [1, 1, 4, 6], {"size": [1, 3], "mode": "bilinear"}),
]


def pair(v):
    return tuple(v) if isinstance(v, list) else v


def run(op, x, args):
    """The case's PyTorch call on x."""
    if op == "maxPool2d":
        return F.max_pool2d(x, pair(args["kernelSize"]), pair(args.get("stride")), pair(args.get("padding", 0)),
                            pair(args.get("dilation", 1)), ceil_mode=args.get("ceilMode", False))
    if op == "avgPool2d":
        return F.avg_pool2d(x, pair(args["kernelSize"]), pair(args.get("stride")), pair(args.get("padding", 0)),
                            ceil_mode=args.get("ceilMode", False), count_include_pad=args.get("countIncludePad", True))
    if op == "adaptiveAvgPool2d":
        return F.adaptive_avg_pool2d(x, pair(args["outputSize"]))
    if op == "adaptiveMaxPool2d":
        return F.adaptive_max_pool2d(x, pair(args["outputSize"]))
    if op == "interpolate":
        return F.interpolate(x, size=pair(args.get("size")), scale_factor=pair(args.get("scaleFactor")), mode=args["mode"],
                             align_corners=args.get("alignCorners"), recompute_scale_factor=args.get("recomputeScaleFactor"))
    raise ValueError(op)


def write_safetensors(path, tensors, metadata):
    """The writer of scripts/make-torch-sequential-fixture.py (F32, by the format's specification)."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("sequential_fixture", os.path.join(here, "make-torch-sequential-fixture.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_safetensors(path, tensors, metadata)


def main():
    torch.manual_seed(0)
    tensors = {}
    for name, op, shape, args in CASES:
        # Values that float32 holds exactly, so both sides start from the same input.
        x = (torch.rand(shape) * 4 - 2).to(torch.float64).requires_grad_(True)
        y = run(op, x, args)
        gy = (torch.rand(y.shape) * 2 - 1).to(torch.float64)
        (y * gy).sum().backward()
        # torch's float32 kernels pick the same source positions (nearest) and nearly the same
        # weights (bilinear) as its float64 ones here, so the fixture is unambiguous for float32.
        y32 = run(op, x.detach().float(), args).double()
        assert (y32 - y.detach()).abs().max() < 1e-5, name
        tensors[name + ".x"], tensors[name + ".gy"] = x.detach(), gy
        tensors[name + ".y"], tensors[name + ".gx"] = y.detach(), x.grad
    cases = [{"name": n, "op": op, "args": args} for n, op, _, args in CASES]
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    made_by = "scripts/make-torch-pool-fixture.py (torch %s, float64)" % torch.__version__
    path = os.path.join(here, "torch-pool.safetensors")
    write_safetensors(path, tensors, {"made_by": made_by, "cases": json.dumps(cases)})
    print("wrote %s: %d cases, %d bytes" % (path, len(CASES), os.path.getsize(path)))


if __name__ == "__main__":
    main()
