// Max and average pooling over NCHW planes. Callers resolve the geometry
// first (pool2d_geometry_resolve) and pass x/gx of [n, c, h, w] and
// out/gy/indices of [n, c, oh, ow]. Outputs are overwritten.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"
#include "pool/pool2d_geometry.h"

namespace dendrite {

// out = max over each (dilated) window; indices = flat position iy·w + ix of
// the max inside its (n, c) plane (the first one in row-major window order; a
// NaN wins and propagates). Padding never wins.
void maxpool2d_forward(const Context& ctx, const Pool2dGeometry& g, const float* x, float* out,
                       int32_t* indices);

// gx = 0, then gx[plane][indices[i]] += gy[i]. Returns false (and skips those
// entries) when an index lies outside [0, in_plane).
bool maxpool2d_backward(const Context& ctx, const float* gy, const int32_t* indices, float* gx,
                        size_t planes, size_t in_plane, size_t out_plane);

// out = mean over each window (dilation must be 1); the divisor is, with
// count_include_pad, the window's positions inside the padded input (kh·kw
// unless a ceil-mode window runs past the right padding), else the number of
// window elements inside the image.
void avgpool2d_forward(const Context& ctx, const Pool2dGeometry& g, const float* x, float* out,
                       bool count_include_pad);

// Gradient of avgpool2d_forward: each gy spread evenly over its window.
void avgpool2d_backward(const Context& ctx, const Pool2dGeometry& g, const float* gy, float* gx,
                        bool count_include_pad);

}  // namespace dendrite
