// 2-D convolution, NCHW input, OIHW weight, channels in groups: im2col +
// GEMM (one product per group, in place in the shared matrices), Winograd
// F(2×2, 3×3) for 3×3 stride-1 layers with enough channels per group, and a
// direct kernel for depthwise layers (groups = c).
//
// Callers validate the geometry first (conv2d_geometry_resolve must succeed;
// conv2d_geometry_crop may then shrink the output) and pass buffers of the
// sizes it implies: x [n,c,h,w], w [o,c/groups,kh,kw], bias [o], out and gy
// [n,o,oh,ow]. Outputs are overwritten, never
// accumulated. Scratch comes from ctx.workspace and stays bounded however
// large the batch: images are processed in chunks, and an image whose column
// matrix alone is too large is processed in tiles of output pixels.
#pragma once

#include "context.h"
#include "conv/conv2d_geometry.h"

namespace dendrite {

// out = conv(x, w) + bias (bias may be nullptr).
void conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                    const float* bias, float* out);

// Gradients of conv2d_forward given gy = dL/dout; each of gx, gw, gb may be
// nullptr (not wanted) and is overwritten otherwise.
void conv2d_backward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                     const float* gy, float* gx, float* gw, float* gb);

}  // namespace dendrite
