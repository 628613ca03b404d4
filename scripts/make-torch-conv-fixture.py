#!/usr/bin/env python3
"""Writes test/fixtures/torch-conv.safetensors for test/nn/conv-groups.test.ts and
test/nn/conv-transpose.test.ts: grouped, depthwise and transposed convolutions
computed by PyTorch in float64.

For each case below, tensors "<case>.x", "<case>.w", "<case>.b" (inputs,
uniform in [-1, 1) and rounded to float32 first, so both sides start from
the same values) and "<case>.gy" (an output gradient), and PyTorch's
"<case>.y" (the output) and "<case>.gx", "<case>.gw", "<case>.gb" (the
gradients for gy), all computed in float64 and stored as float32.

The file is written from the safetensors specification with the standard
library (by scripts/make-torch-sequential-fixture.py's writer), so nothing of
dendrite is involved in making it. The tests call the same cases with the
same options (test/nn/support/conv-layers.ts reads the file).

Needs PyTorch: /usr/bin/python3 with Debian's python3-torch.
Run: /usr/bin/python3 scripts/make-torch-conv-fixture.py
"""
import importlib.util
import os

import torch
import torch.nn.functional as F

# name: (kind, x shape, w shape, options). Options use PyTorch's names.
CASES = {
    # groups 3 of 2 → 3 channels, unequal stride and padding
    "grouped": ("conv", [2, 6, 7, 8], [9, 2, 3, 3], dict(stride=(1, 2), padding=(1, 0), groups=3)),
    # 8 channels per group on both sides: the Winograd path, group by group
    "grouped_winograd": ("conv", [2, 16, 6, 7], [16, 8, 3, 3], dict(padding=1, groups=2)),
    # depthwise, multiplier 1, 3×3 'same'
    "depthwise": ("conv", [2, 8, 12, 11], [8, 1, 3, 3], dict(padding=1, groups=8)),
    # depthwise, multiplier 2, stride 2, dilation on the width
    "depthwise_multiplier": ("conv", [2, 4, 9, 10], [8, 1, 3, 3], dict(stride=2, padding=1, dilation=(1, 2), groups=4)),
    # transposed: strides 2 and 3, padding, output padding, groups 2
    "transposed": ("transpose", [2, 4, 5, 6], [4, 3, 3, 3], dict(stride=(2, 3), padding=(1, 2), output_padding=(1, 2), groups=2)),
    # transposed with output padding 1 allowed by dilation 2 at stride 1
    "transposed_dilated": ("transpose", [1, 3, 4, 5], [3, 2, 3, 2], dict(stride=1, padding=0, output_padding=1, dilation=2)),
    # transposed depthwise upsampling
    "transposed_depthwise": ("transpose", [2, 4, 5, 5], [4, 1, 3, 3], dict(stride=2, padding=1, output_padding=1, groups=4)),
}


def uniform(shape, generator):
    return (torch.rand(shape, generator=generator, dtype=torch.float64) * 2 - 1).float().double()


def run(kind, x, w, b, options):
    if kind == "conv":
        return F.conv2d(x, w, b, **options)
    return F.conv_transpose2d(x, w, b, **options)


def safetensors_writer():
    """write_safetensors(path, tensors, metadata) of make-torch-sequential-fixture.py (float32, by the specification)."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = importlib.util.spec_from_file_location("torch_sequential_fixture", os.path.join(here, "make-torch-sequential-fixture.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_safetensors


def main():
    generator = torch.Generator().manual_seed(0)
    tensors = {}
    for name, (kind, x_shape, w_shape, options) in CASES.items():
        out_channels = w_shape[0] if kind == "conv" else w_shape[1] * options.get("groups", 1)
        x = uniform(x_shape, generator).requires_grad_()
        w = uniform(w_shape, generator).requires_grad_()
        b = uniform([out_channels], generator).requires_grad_()
        y = run(kind, x, w, b, options)
        gy = uniform(list(y.shape), generator)
        y.backward(gy)
        for key, value in dict(x=x, w=w, b=b, gy=gy, y=y, gx=x.grad, gw=w.grad, gb=b.grad).items():
            tensors["%s.%s" % (name, key)] = value
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    made_by = "scripts/make-torch-conv-fixture.py (torch %s, float64)" % torch.__version__
    path = os.path.join(here, "torch-conv.safetensors")
    safetensors_writer()(path, tensors, {"made_by": made_by})
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))


if __name__ == "__main__":
    main()
