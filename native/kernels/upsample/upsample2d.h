// Nearest and bilinear resizing of NCHW planes with PyTorch's coordinate
// rules (F.interpolate, modes 'nearest' and 'bilinear'). x/gx are
// [n, c, h, w] and out/gy [n, c, oh, ow]; outputs are overwritten. Backward
// passes accumulate each plane's gradient in a fixed order on one thread, so
// results do not depend on the thread count.
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

struct Upsample2dGeometry {
  size_t n = 0, c = 0, h = 0, w = 0;  // h, w, oh, ow >= 1
  size_t oh = 0, ow = 0;
  // The scale factor per axis when the caller gave one (F.interpolate's
  // scale_factor without recompute_scale_factor): source coordinates then use
  // 1/scale instead of in/out. 0 when only the output size was given.
  double scale_h = 0.0, scale_w = 0.0;
  bool align_corners = false;  // bilinear only

  size_t planes() const { return n * c; }
  size_t input_plane() const { return h * w; }
  size_t output_plane() const { return oh * ow; }
};

// out[oy][ox] = x[sy(oy)][sx(ox)] with PyTorch's nearest rule (upsample_coordinates.h).
void upsample_nearest2d_forward(const Context& ctx, const Upsample2dGeometry& g, const float* x, float* out);
// gx = Σ of the gy cells each input position was copied to.
void upsample_nearest2d_backward(const Context& ctx, const Upsample2dGeometry& g, const float* gy, float* gx);

// out = the bilinear blend of the four input positions around each source point.
void upsample_bilinear2d_forward(const Context& ctx, const Upsample2dGeometry& g, const float* x, float* out);
// gx = Σ of each gy cell times the weight it gave the input position.
void upsample_bilinear2d_backward(const Context& ctx, const Upsample2dGeometry& g, const float* gy, float* gx);

}  // namespace dendrite
