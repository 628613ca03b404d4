// 2-D convolution for inference (NCHW input, OIHW weight), with the bias,
// ReLU and max-pool of the layers after it applied before the result leaves
// cache (infer_epilogue.h):
//  - one input channel: a direct kernel (single_channel_impl.h);
//  - 3×3, stride 1, no dilation, one group, 4 to 256 input channels:
//    Winograd F(2×2, 3×3) with the epilogue in its output transform, the
//    2×2 stride-2 max-pool included (winograd_impl.h);
//  - anything else: the training convolution (conv2d_forward) a chunk of
//    images at a time into scratch, then the epilogue on each plane.
//
// The caller checks the geometry first (conv2d_geometry_resolve succeeds;
// a pool window fits the output) and passes x [n,c,h,w], w [o,c/groups,kh,kw],
// bias [o] or nullptr, and out [n, o, ph, pw] — the pooled extents, or
// [n, o, oh, ow] without pooling. out is overwritten; scratch comes from
// ctx.workspace.
#pragma once

#include "context.h"
#include "conv/conv2d_geometry.h"
#include "infer/infer_epilogue.h"

namespace dendrite::infer {

enum class ConvPath { SingleChannel, Winograd, General };

// The path conv2d_infer takes for g.
ConvPath conv2d_infer_path(const Conv2dGeometry& g);

void conv2d_infer(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w, const ConvEpilogue& e,
                  float* out);

}  // namespace dendrite::infer
