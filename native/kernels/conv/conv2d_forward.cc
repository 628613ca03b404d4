#include <algorithm>
#include <cstring>

#include "conv/conv2d.h"
#include "conv/chunk_rows.h"
#include "conv/conv2d_chunks.h"
#include "conv/im2col.h"
#include "conv/row_ops.h"
#include "conv/winograd.h"
#include "gemm/gemm.h"

namespace dendrite {
namespace {

// out[b][o][p0:p1] += bias[o] for images [first, first + images).
void add_bias(const Context& ctx, const Conv2dGeometry& g, const float* bias, float* out,
              size_t first, size_t images, size_t p0, size_t p1) {
  const size_t plane = g.output_plane(), tile = p1 - p0;
  const size_t rows = images * g.o;
  parallel_for(ctx, rows, conv_min_items(tile),
               [&](size_t r0, size_t r1, int) {
                 for (size_t r = r0; r < r1; ++r) {
                   size_t b = first + r / g.o, o = r % g.o;
                   add_constant(ctx.isa, out + (b * g.o + o) * plane + p0, tile, bias[o]);
                 }
               });
}

}  // namespace

void conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                    const float* bias, float* out) {
  const size_t plane = g.output_plane(), k = g.patch_size();
  const size_t in_image = g.c * g.h * g.w, out_image = g.o * plane;
  if (g.n == 0 || out_image == 0) return;
  if (k == 0) {
    // No input channels: every output is its bias.
    std::memset(out, 0, g.n * out_image * sizeof(float));
    if (bias != nullptr) add_bias(ctx, g, bias, out, 0, g.n, 0, plane);
    return;
  }

  if (winograd_applicable(g)) {
    winograd_conv2d_forward(ctx, g, x, w, bias, out);
    return;
  }

  if (g.is_pointwise()) {
    // The image [c, h·w] is its own column matrix: out_b = W[o, c] · x_b,
    // one product per image (run side by side when each is too small to split).
    gemm_f32_batched(ctx, false, false, g.o, plane, g.c, 1.0f, w, g.c, 0, x, plane, in_image, 0.0f, out, plane,
                     out_image, g.n);
    if (bias != nullptr) add_bias(ctx, g, bias, out, 0, g.n, 0, plane);
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
      gemm_f32_batched(ctx, false, false, g.o, tile, k, 1.0f, w, k, 0, col, tile, k * tile, 0.0f,
                       out + chunk.first * out_image + chunk.p0, plane, out_image, chunk.images);
      if (bias != nullptr) add_bias(ctx, g, bias, out, chunk.first, chunk.images, chunk.p0, chunk.p1);
      return;
    }
    // One product for the chunk, Y[o, width] = W · col, then each image's
    // rows moved to their place (with the bias added on the way).
    float* y = ctx.workspace->get_as<float>(Workspace::key(kWsConvTemp, 0), g.o * plan.buffer_floats());
    gemm_f32(ctx, false, false, g.o, ld, k, 1.0f, w, k, col, ld, 0.0f, y, ld);
    matrix_to_chunk_rows(ctx, chunk, g.o, plane, y, bias, out);
  });
}

}  // namespace dendrite
