// Shape of a 2-D convolution (NCHW input, OIHW weight, channels split into
// groups) and the output-size rule shared by the kernels and the argument
// checks.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

// Input channels [gi·c/groups, (gi+1)·c/groups) feed only output channels
// [gi·o/groups, (gi+1)·o/groups); the weight is [o, c/groups, kh, kw], so
// group gi's weights are the contiguous rows [gi·o/groups, (gi+1)·o/groups).
struct Conv2dGeometry {
  size_t n = 0, c = 0, h = 0, w = 0;  // input [n, c, h, w]
  size_t o = 0, kh = 0, kw = 0;       // weight [o, c / groups, kh, kw]
  size_t stride_h = 1, stride_w = 1;
  size_t pad_h = 0, pad_w = 0;
  size_t dilation_h = 1, dilation_w = 1;
  size_t groups = 1;                  // divides c and o
  // Output [n, o, oh, ow], set by conv2d_geometry_resolve (or cropped below
  // the full extent by conv2d_geometry_crop: the last rows and columns are
  // then not computed, as a transposed convolution needs).
  size_t oh = 0, ow = 0;

  size_t input_plane() const { return h * w; }
  size_t output_plane() const { return oh * ow; }
  size_t group_channels() const { return c / groups; }
  size_t group_outputs() const { return o / groups; }
  // Rows of the im2col matrix: one per (input channel, kernel row, kernel
  // column), channel by channel, so each group's rows are one block of
  // group_patch() rows.
  size_t patch_size() const { return c * kh * kw; }
  // Length of one weight row: the patch of one group.
  size_t group_patch() const { return group_channels() * kh * kw; }
  size_t weight_size() const { return o * group_patch(); }
  // 1×1, stride 1, no padding, output as large as the input: the input image
  // already is the im2col matrix.
  bool is_pointwise() const {
    return kh == 1 && kw == 1 && stride_h == 1 && stride_w == 1 && pad_h == 0 && pad_w == 0 && oh == h && ow == w;
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

// Whether groups is at least 1 and divides both channel counts.
inline bool conv2d_groups_valid(const Conv2dGeometry& g) {
  return g.groups >= 1 && g.c % g.groups == 0 && g.o % g.groups == 0;
}

// Fills g.oh and g.ow; false when either output extent would be < 1 or the
// groups do not divide the channels.
inline bool conv2d_geometry_resolve(Conv2dGeometry& g) {
  return conv2d_groups_valid(g) && conv_output_extent(g.h, g.kh, g.stride_h, g.pad_h, g.dilation_h, &g.oh) &&
         conv_output_extent(g.w, g.kw, g.stride_w, g.pad_w, g.dilation_w, &g.ow);
}

// Resolves g, then keeps only the first oh × ow outputs; false when g does
// not resolve or its output is smaller than that.
inline bool conv2d_geometry_crop(Conv2dGeometry& g, size_t oh, size_t ow) {
  if (!conv2d_geometry_resolve(g) || oh > g.oh || ow > g.ow) return false;
  g.oh = oh, g.ow = ow;
  return true;
}

}  // namespace dendrite
