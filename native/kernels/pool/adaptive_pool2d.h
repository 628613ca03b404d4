// Adaptive max and average pooling over NCHW planes: the output size is
// given and each output cell pools its own bin of the input, as PyTorch:
// rows [floor(i·h/oh), ceil((i+1)·h/oh)) and likewise for columns. Bins may
// overlap and, when the output is larger than the input, repeat positions.
// x/gx are [n, c, h, w] and out/gy/indices [n, c, oh, ow]; outputs are
// overwritten. The max gradient is maxpool2d_backward (pool2d.h) on the
// indices saved here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

struct AdaptivePool2dGeometry {
  size_t n = 0, c = 0, h = 0, w = 0;
  size_t oh = 0, ow = 0;

  size_t planes() const { return n * c; }
  size_t input_plane() const { return h * w; }
  size_t output_plane() const { return oh * ow; }
};

// Input positions [begin, end) of bin i of `out` bins over `in` positions
// (in, out >= 1; never empty).
inline size_t adaptive_bin_begin(size_t i, size_t in, size_t out) { return i * in / out; }
inline size_t adaptive_bin_end(size_t i, size_t in, size_t out) { return ((i + 1) * in + out - 1) / out; }

// out = mean of each bin. A 1×1 output (global average pooling) sums each
// plane with the vectorised row sum of the reduce family.
void adaptive_avgpool2d_forward(const Context& ctx, const AdaptivePool2dGeometry& g, const float* x, float* out);

// Gradient of adaptive_avgpool2d_forward: each gy spread evenly over its bin.
void adaptive_avgpool2d_backward(const Context& ctx, const AdaptivePool2dGeometry& g, const float* gy, float* gx);

// out = max of each bin; indices = its flat position iy·w + ix in the plane
// (the first in row-major bin order; the first NaN wins and propagates).
void adaptive_maxpool2d_forward(const Context& ctx, const AdaptivePool2dGeometry& g, const float* x, float* out,
                                int32_t* indices);

}  // namespace dendrite
