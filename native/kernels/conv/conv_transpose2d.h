// 2-D transposed convolution (PyTorch's conv_transpose2d), NCHW input
// x [n, in, h, w], weight [in, out / groups, kh, kw], output
// y [n, out, oh, ow] with oh = (h − 1)·stride − 2·pad + dilation·(kh − 1) + output_padding + 1.
//
// It is the adjoint of a convolution: the one from y's shape to x's with the
// same weight, stride, padding, dilation and groups (conv input channels =
// out, conv output channels = in), its output cropped to h × w when
// output_padding makes y larger than that convolution's full input. So the
// forward pass is that convolution's input gradient (col2im), the input
// gradient is its forward pass, and the weight gradient is its weight
// gradient with the roles of input and output swapped: the convolution
// kernels do all of it, Winograd and depthwise paths included.
#pragma once

#include <cstddef>

#include "context.h"
#include "conv/conv2d_geometry.h"

namespace dendrite {

struct ConvTranspose2dShape {
  size_t n = 0, in = 0, h = 0, w = 0;  // input [n, in, h, w]
  size_t out = 0, kh = 0, kw = 0;      // weight [in, out / groups, kh, kw]
  size_t stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  size_t output_padding_h = 0, output_padding_w = 0;
  size_t dilation_h = 1, dilation_w = 1;
  size_t groups = 1;
};

// Why a shape has no transposed convolution, or nullptr when it has one.
const char* conv_transpose2d_problem(const ConvTranspose2dShape& s);

// The convolution whose adjoint the transposed convolution is; call only when
// conv_transpose2d_problem(s) is nullptr. Its input [n, out, oh, ow] is the
// transposed output, its (cropped) output [n, in, h, w] the transposed input.
Conv2dGeometry conv_transpose2d_geometry(const ConvTranspose2dShape& s);

// y = conv_transpose(x, w) + bias (bias [out] may be nullptr); g from
// conv_transpose2d_geometry. Outputs are overwritten.
void conv_transpose2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* y);

// Gradients given gy = dL/dy [n, out, oh, ow]: gx [n, in, h, w], gw like w,
// gb [out]; each may be nullptr (not wanted) and is overwritten otherwise.
void conv_transpose2d_backward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                               const float* gy, float* gx, float* gw, float* gb);

}  // namespace dendrite
