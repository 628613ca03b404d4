// Shape of a 2-D pooling window over NCHW planes, with PyTorch's output size:
// floor((h + 2·pad − dilation·(k − 1) − 1) / stride) + 1, or with ceil_mode the
// same rounded up, less one when the last window would start in the right
// padding (PyTorch's rule: every window starts inside the input or its left
// padding).
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

struct Pool2dGeometry {
  size_t n = 0, c = 0, h = 0, w = 0;
  size_t kh = 1, kw = 1;
  size_t stride_h = 1, stride_w = 1;
  size_t pad_h = 0, pad_w = 0;
  size_t dilation_h = 1, dilation_w = 1;  // max pooling only
  bool ceil_mode = false;
  size_t oh = 0, ow = 0;  // set by pool2d_geometry_resolve

  size_t planes() const { return n * c; }
  size_t input_plane() const { return h * w; }
  size_t output_plane() const { return oh * ow; }
  // The 2×2, stride 2, unpadded window of most CNNs, which has its own fast
  // path, when no window runs past the input (ceil mode on an odd size does).
  bool is_2x2_stride_2() const {
    return kh == 2 && kw == 2 && stride_h == 2 && stride_w == 2 && pad_h == 0 && pad_w == 0 && dilation_h == 1 &&
           dilation_w == 1 && 2 * oh <= h && 2 * ow <= w;
  }
};

// Whether every window along an axis covers at least one input position.
// Undilated windows always do (pad <= k/2); dilated ones that start in the
// left padding may step over a short input entirely (PyTorch then returns
// -inf with an index outside the plane; we refuse the geometry instead).
// Such a window's first tap inside lies within the first `dilation`
// positions (and pad <= k/2 leaves it a tap to spare), so only inputs shorter
// than the dilation can be missed; those fit windows of k <= 2 only, so the
// loop runs at most once.
inline bool pool_windows_touch_input(size_t in, size_t k, size_t stride, size_t pad, size_t dilation, size_t out) {
  if (dilation <= in) return true;
  for (size_t o = 0; o < out && o * stride < pad; ++o) {
    const size_t before = pad - o * stride;                   // padded positions before the input
    const size_t first = (before + dilation - 1) / dilation;  // first tap at or after position 0
    if (first >= k || first * dilation - before >= in) return false;
  }
  return true;
}

// Output extent along one axis, or false when the window does not fit, the
// input is empty, k, stride or dilation is 0, pad exceeds k/2, or a window
// would hold only padding. Together these guarantee every window reads an
// element of the input.
inline bool pool_output_extent(size_t in, size_t k, size_t stride, size_t pad, size_t dilation, bool ceil_mode,
                               size_t* out) {
  if (in == 0 || k == 0 || stride == 0 || dilation == 0 || pad > k / 2) return false;
  const uint64_t padded = static_cast<uint64_t>(in) + 2 * static_cast<uint64_t>(pad);
  // The dilated window, dilation·(k − 1) + 1, must fit the padded input (asked without overflow).
  if (static_cast<uint64_t>(k - 1) > (padded - 1) / dilation) return false;
  const uint64_t span = static_cast<uint64_t>(dilation) * (k - 1) + 1;
  uint64_t extent = (padded - span + (ceil_mode ? stride - 1 : 0)) / stride + 1;
  if (ceil_mode && (extent - 1) * stride >= static_cast<uint64_t>(in) + pad) --extent;
  *out = static_cast<size_t>(extent);
  return pool_windows_touch_input(in, k, stride, pad, dilation, *out);
}

// Fills g.oh and g.ow; false when the geometry is invalid (see above).
inline bool pool2d_geometry_resolve(Pool2dGeometry& g) {
  return pool_output_extent(g.h, g.kh, g.stride_h, g.pad_h, g.dilation_h, g.ceil_mode, &g.oh) &&
         pool_output_extent(g.w, g.kw, g.stride_w, g.pad_w, g.dilation_w, g.ceil_mode, &g.ow);
}

}  // namespace dendrite
