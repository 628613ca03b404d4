#include <algorithm>
#include <cstring>

#include "conv/conv2d.h"
#include "conv/channel_bias.h"
#include "conv/chunk_rows.h"
#include "conv/conv2d_chunks.h"
#include "conv/depthwise.h"
#include "conv/im2col.h"
#include "conv/winograd.h"
#include "gemm/gemm.h"

namespace dendrite {

void conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                    const float* bias, float* out) {
  const size_t plane = g.output_plane(), k = g.patch_size();
  const size_t in_image = g.c * g.h * g.w, out_image = g.o * plane;
  if (g.n == 0 || out_image == 0) return;
  if (k == 0) {
    // No input channels: every output is its bias.
    std::memset(out, 0, g.n * out_image * sizeof(float));
    if (bias != nullptr) add_channel_bias(ctx, g.o, plane, bias, out, 0, g.n, 0, plane);
    return;
  }

  if (depthwise_applicable(g)) {
    depthwise_conv2d_forward(ctx, g, x, w, bias, out);
    return;
  }

  if (winograd_applicable(g)) {
    winograd_conv2d_forward(ctx, g, x, w, bias, out);
    return;
  }

  // Group gi multiplies its weight rows [gi·og, (gi+1)·og), each kg long, by
  // its block of kg column-matrix rows into its output channels (one group
  // when groups = 1: the whole matrices).
  const size_t groups = g.groups, og = g.group_outputs(), cg = g.group_channels(), kg = g.group_patch();

  if (g.is_pointwise()) {
    // The image [c, h·w] is its own column matrix: out_b = W[o, c] · x_b,
    // one product per image (run side by side when each is too small to split).
    for (size_t gi = 0; gi < groups; ++gi) {
      gemm_f32_batched(ctx, false, false, og, plane, cg, 1.0f, w + gi * og * cg, cg, 0, x + gi * cg * plane, plane,
                       in_image, 0.0f, out + gi * og * plane, plane, out_image, g.n);
    }
    if (bias != nullptr) add_channel_bias(ctx, g.o, plane, bias, out, 0, g.n, 0, plane);
    return;
  }

  const ConvChunking plan = conv_chunking(g);
  float* col = ctx.workspace->get_as<float>(Workspace::key(kWsIm2col, 0), k * plan.buffer_floats());
  for_each_conv_chunk(g, plan, [&](const ConvChunk& chunk) {
    const size_t tile = chunk.tile(), ld = chunk.ld();
    for_unit_channels(ctx, g, chunk, [&](size_t u, size_t c0, size_t c1) {
      im2col_channels(ctx.isa, g, x + (chunk.first + u) * in_image, c0, c1, chunk.p0, chunk.p1,
                      col + chunk.unit_offset(u, k), ld);
    });
    if (!chunk.side_by_side) {
      // out_b[:, p0:p1] = W[o, k] · col_b, written in place with row stride
      // plane (products side by side on the threads when each is small).
      for (size_t gi = 0; gi < groups; ++gi) {
        gemm_f32_batched(ctx, false, false, og, tile, kg, 1.0f, w + gi * og * kg, kg, 0, col + gi * kg * tile, tile,
                         k * tile, 0.0f, out + chunk.first * out_image + gi * og * plane + chunk.p0, plane, out_image,
                         chunk.images);
      }
      if (bias != nullptr) add_channel_bias(ctx, g.o, plane, bias, out, chunk.first, chunk.images, chunk.p0, chunk.p1);
      return;
    }
    // One product for the chunk, Y[o, width] = W · col, then each image's
    // rows moved to their place (with the bias added on the way).
    float* y = ctx.workspace->get_as<float>(Workspace::key(kWsConvTemp, 0), g.o * plan.buffer_floats());
    for (size_t gi = 0; gi < groups; ++gi) {
      gemm_f32(ctx, false, false, og, ld, kg, 1.0f, w + gi * og * kg, kg, col + gi * kg * ld, ld, 0.0f,
               y + gi * og * ld, ld);
    }
    matrix_to_chunk_rows(ctx, chunk, g.o, plane, y, bias, out);
  });
}

}  // namespace dendrite
