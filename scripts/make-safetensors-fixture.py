#!/usr/bin/env python3
"""Writes test/fixtures/reference.safetensors straight from the format's
specification (https://github.com/huggingface/safetensors, "Format"), using
only the standard library, so the reader is tested against bytes it did not
produce itself.

  8 bytes     little-endian unsigned header length N
  N bytes     UTF-8 JSON: {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}
              padded with spaces
  rest        tensor bytes, little-endian, offsets relative to the start of this section

The JSON keys are written sorted by name while the data is laid out in the
order listed below, so a reader must go by the offsets, not by key order.
test/io/safetensors-fixture.test.ts holds the same values.

Run: python3 scripts/make-safetensors-fixture.py
"""
import json
import os
import struct

# name, dtype, shape, struct format of one element, values (row-major)
TENSORS = [
    ("weight", "F32", [2, 3], "f", [1.0, -2.5, 3.25, 0.0, 0.001, -7.0]),
    ("bias", "F32", [3], "f", [0.5, -0.25, 100.0]),
    ("ids", "I32", [4], "i", [0, -1, 2147483647, -2147483648]),
    ("half", "F16", [2, 2], "e", [1.0, -0.5, 65504.0, 5.960464477539063e-08]),
    ("brain", "BF16", [3], None, [1.0, -2.0, 3.140625]),
    ("double", "F64", [2], "d", [0.1, -1e10]),
    ("long", "I64", [3], "q", [1, -2, 2147483647]),
    ("bytes", "U8", [5], "B", [0, 1, 127, 128, 255]),
    ("signed", "I8", [3], "b", [-128, 0, 127]),
    ("flags", "BOOL", [2], "B", [1, 0]),
    ("empty", "F32", [0, 4], "f", []),
    ("scalar", "F32", [], "f", [42.0]),
]
METADATA = {"format": "pt", "made_by": "scripts/make-safetensors-fixture.py"}


def element_bytes(dtype, fmt, value):
    if dtype == "BF16":
        # bfloat16 is the upper half of a float32; these values are exact in it.
        return struct.pack("<f", value)[2:4]
    return struct.pack("<" + fmt, value)


def main():
    header = {"__metadata__": METADATA}
    data = bytearray()
    for name, dtype, shape, fmt, values in TENSORS:
        begin = len(data)
        for v in values:
            data += element_bytes(dtype, fmt, v)
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [begin, len(data)]}
    text = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "reference.safetensors")
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        f.write(data)
    print(f"wrote {os.path.normpath(out)}: header {len(text)} bytes, data {len(data)} bytes")


if __name__ == "__main__":
    main()
