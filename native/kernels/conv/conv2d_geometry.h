// Shape of a 2-D convolution (NCHW input, OIHW weight, groups = 1) and the
// output-size rule shared by the kernels and the argument checks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

struct Conv2dGeometry {
  size_t n = 0, c = 0, h = 0, w = 0;  // input [n, c, h, w]
  size_t o = 0, kh = 0, kw = 0;       // weight [o, c, kh, kw]
  size_t stride_h = 1, stride_w = 1;
  size_t pad_h = 0, pad_w = 0;
  size_t dilation_h = 1, dilation_w = 1;
  size_t oh = 0, ow = 0;              // output [n, o, oh, ow], set by conv2d_geometry_resolve

  size_t input_plane() const { return h * w; }
  size_t output_plane() const { return oh * ow; }
  // Rows of the im2col matrix: one per (input channel, kernel row, kernel column).
  size_t patch_size() const { return c * kh * kw; }
  // 1×1, stride 1, no padding: the input image already is the im2col matrix.
  bool is_pointwise() const {
    return kh == 1 && kw == 1 && stride_h == 1 && stride_w == 1 && pad_h == 0 && pad_w == 0;
  }
};

// Output extent along one axis: floor((in + 2·pad − dilation·(k − 1) − 1) / stride) + 1.
// Returns false when it would be < 1 (the dilated kernel is larger than the
// padded input) or when k, stride or dilation is 0.
inline bool conv_output_extent(size_t in, size_t k, size_t stride, size_t pad, size_t dilation,
                               size_t* out) {
  if (k == 0 || stride == 0 || dilation == 0) return false;
  const uint64_t max = UINT64_MAX;
  uint64_t reach = static_cast<uint64_t>(k - 1);
  if (reach != 0 && dilation > (max - 1) / reach) return false;  // span would overflow: no fit
  uint64_t span = dilation * reach + 1;
  if (pad > (max - in) / 2) return false;
  uint64_t padded = static_cast<uint64_t>(in) + 2 * static_cast<uint64_t>(pad);
  if (span > padded) return false;
  *out = static_cast<size_t>((padded - span) / stride + 1);
  return true;
}

// Fills g.oh and g.ow; false when either output extent would be < 1.
inline bool conv2d_geometry_resolve(Conv2dGeometry& g) {
  return conv_output_extent(g.h, g.kh, g.stride_h, g.pad_h, g.dilation_h, &g.oh) &&
         conv_output_extent(g.w, g.kw, g.stride_w, g.pad_w, g.dilation_w, &g.ow);
}

}  // namespace dendrite
