#include "conv/conv_transpose2d.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "conv/channel_bias.h"
#include "conv/conv2d.h"

namespace dendrite {
namespace {

// Largest extent accepted along one axis: far beyond any real image, and
// small enough that the arithmetic below cannot overflow.
constexpr uint64_t kMostExtent = uint64_t{1} << 40;

// (in − 1)·stride − 2·pad + dilation·(k − 1) + output_padding + 1, or 0 when
// that is < 1 or a factor is too large to be meant.
uint64_t transposed_extent(uint64_t in, uint64_t k, uint64_t stride, uint64_t pad, uint64_t output_padding,
                           uint64_t dilation) {
  if (in == 0 || in > kMostExtent || k > kMostExtent || stride > kMostExtent || pad > kMostExtent ||
      dilation > kMostExtent || output_padding > kMostExtent) {
    return 0;
  }
  // Each product below is < 2^80 only in theory: bound the factors first.
  if ((in - 1) != 0 && stride > kMostExtent / (in - 1)) return 0;
  if ((k - 1) != 0 && dilation > kMostExtent / (k - 1)) return 0;
  const uint64_t reach = (in - 1) * stride + dilation * (k - 1) + output_padding + 1;
  return reach > 2 * pad ? reach - 2 * pad : 0;
}

}  // namespace

const char* conv_transpose2d_problem(const ConvTranspose2dShape& s) {
  if (s.kh == 0 || s.kw == 0) return "the kernel size must be at least 1";
  if (s.stride_h == 0 || s.stride_w == 0) return "the stride must be at least 1";
  if (s.dilation_h == 0 || s.dilation_w == 0) return "the dilation must be at least 1";
  if (s.groups == 0 || s.in % s.groups != 0 || s.out % s.groups != 0) {
    return "groups must be at least 1 and divide both the input and the output channels";
  }
  if (s.output_padding_h >= std::max(s.stride_h, s.dilation_h) ||
      s.output_padding_w >= std::max(s.stride_w, s.dilation_w)) {
    return "the output padding must be smaller than the stride or the dilation";
  }
  if (s.h == 0 || s.w == 0) return "the input height and width must be at least 1";
  if (transposed_extent(s.h, s.kh, s.stride_h, s.pad_h, s.output_padding_h, s.dilation_h) == 0 ||
      transposed_extent(s.w, s.kw, s.stride_w, s.pad_w, s.output_padding_w, s.dilation_w) == 0) {
    return "the output would be smaller than 1×1 (the padding removes more than the stride and kernel add)";
  }
  return nullptr;
}

Conv2dGeometry conv_transpose2d_geometry(const ConvTranspose2dShape& s) {
  Conv2dGeometry g;
  g.n = s.n, g.c = s.out, g.o = s.in, g.kh = s.kh, g.kw = s.kw;
  g.h = static_cast<size_t>(transposed_extent(s.h, s.kh, s.stride_h, s.pad_h, s.output_padding_h, s.dilation_h));
  g.w = static_cast<size_t>(transposed_extent(s.w, s.kw, s.stride_w, s.pad_w, s.output_padding_w, s.dilation_w));
  g.stride_h = s.stride_h, g.stride_w = s.stride_w, g.pad_h = s.pad_h, g.pad_w = s.pad_w;
  g.dilation_h = s.dilation_h, g.dilation_w = s.dilation_w, g.groups = s.groups;
  // The convolution of a (h−1)·s + d·(k−1) + op + 1 − 2p input has
  // ⌊((h−1)·s + op) / s⌋ + 1 ≥ h outputs: h of them when op < s, one more per
  // axis when a dilation larger than the stride allows op ≥ s.
  conv2d_geometry_crop(g, s.h, s.w);
  return g;
}

void conv_transpose2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* y) {
  const size_t plane = g.input_plane();
  if (g.n == 0 || g.c == 0 || plane == 0) return;
  // y is the convolution's input gradient for output gradient x; the
  // convolution's input (only needed for its weight gradient) is not read.
  conv2d_backward(ctx, g, nullptr, w, x, y, nullptr, nullptr);
  if (bias != nullptr) add_channel_bias(ctx, g.c, plane, bias, y, 0, g.n, 0, plane);
}

void conv_transpose2d_backward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                               const float* gy, float* gx, float* gw, float* gb) {
  if (gb != nullptr) channel_sums(ctx, g.n, g.c, g.input_plane(), gy, gb);
  // The convolution maps gy's shape to x's: gx is its forward pass of gy.
  if (gx != nullptr) conv2d_forward(ctx, g, gy, w, nullptr, gx);
  // dL/dw = Σ x · (the windows of gy): the convolution's weight gradient with
  // gy as its input and x as its output gradient.
  if (gw != nullptr) conv2d_backward(ctx, g, gy, w, x, nullptr, gw, nullptr);
}

}  // namespace dendrite
