// The padded copies of single planes that the depthwise kernels
// (depthwise.h) read, laid out so that every kernel tap reads a contiguous
// run along the output row, whatever the stride: no bounds checks and no
// strided loads in the inner loops.
#pragma once

#include <cstddef>

#include "conv/conv2d_geometry.h"

namespace dendrite::depthwise {

using Index = std::ptrdiff_t;

// ⌊a / b⌋ for b > 0, rounding towards −∞ also for negative a.
inline Index floor_div(Index a, Index b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// One input plane, padded and split into stride_w phases (forward and weight
// gradient). Row R (R < h + 2·pad_h) is input row R − pad_h, zeros outside;
// phase r of a row holds its padded columns r, r + sw, r + 2·sw, … Input pixel
// (oy·sh + i·dh − ph, ox·sw + j·dw − pw) then sits at tap(i, j) + oy·sh·row_stride + ox.
struct PhasedPlane {
  size_t rows = 0, phases = 1, phase_len = 0;
  size_t row_stride() const { return phases * phase_len; }
  size_t floats() const { return rows * row_stride(); }
};

PhasedPlane phased_plane(const Conv2dGeometry& g);
// Offset of kernel tap (i, j) for output pixel (0, 0).
size_t phased_tap(const Conv2dGeometry& g, const PhasedPlane& p, size_t i, size_t j);
// dst = the phased copy of `plane` (h × w).
void fill_phased_plane(const Conv2dGeometry& g, const PhasedPlane& p, const float* plane, float* dst);

// One output-gradient plane (oh × ow) with zero margins (input gradient):
// element (oy, ox) at (oy + top)·row_len + left + ox. The margins are as wide
// as the input gradient's row sums reach past the plane.
struct PaddedPlane {
  size_t top = 0, left = 0, rows = 0, row_len = 0;
  size_t floats() const { return rows * row_len; }
};

PaddedPlane padded_gradient_plane(const Conv2dGeometry& g);
void fill_padded_plane(const Conv2dGeometry& g, const PaddedPlane& p, const float* plane, float* dst);

}  // namespace dendrite::depthwise
