// Direct depthwise convolution: one input channel per group (groups = c > 1)
// and o = c·multiplier output channels, output channel c·multiplier + q
// reading only input channel c. There im2col + GEMM does products of depth
// kh·kw, one per group, mostly overhead; these kernels instead sum kh·kw
// weighted, shifted input rows straight into each output row, vectorised
// along the row, for any kernel size, stride, padding and dilation.
//
// Same contract as conv2d.h (outputs overwritten; scratch from
// ctx.workspace, one padded plane per thread). The weight is [o, 1, kh, kw].
#pragma once

#include "context.h"
#include "conv/conv2d_geometry.h"

namespace dendrite {

// Whether g is a depthwise convolution (these kernels compute every one).
bool depthwise_applicable(const Conv2dGeometry& g);

void depthwise_conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                              const float* bias, float* out);
// gx = dL/dx given gy.
void depthwise_conv2d_input_gradient(const Context& ctx, const Conv2dGeometry& g, const float* w, const float* gy,
                                     float* gx);
// gw = dL/dw given gy.
void depthwise_conv2d_weight_gradient(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* gy,
                                      float* gw);

}  // namespace dendrite
