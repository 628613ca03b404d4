#include <algorithm>
#include <cstring>

#include "conv/conv2d.h"
#include "conv/conv2d_chunks.h"
#include "conv/im2col.h"
#include "conv/row_ops.h"
#include "gemm/gemm.h"

namespace dendrite {
namespace {

constexpr size_t kMinTaskFloats = 16384;

// gb[o] = Σ over images and pixels of gy[b][o][:].
void bias_gradient(const Context& ctx, const Conv2dGeometry& g, const float* gy, float* gb) {
  const size_t plane = g.output_plane();
  const size_t per_channel = std::max<size_t>(g.n * plane, 1);
  parallel_for(ctx, g.o, std::max<size_t>(1, kMinTaskFloats / per_channel), [&](size_t o0, size_t o1, int) {
    for (size_t o = o0; o < o1; ++o) {
      double total = 0.0;
      for (size_t b = 0; b < g.n; ++b) total += sum_floats(ctx.isa, gy + (b * g.o + o) * plane, plane);
      gb[o] = static_cast<float>(total);
    }
  });
}

// Runs fn(u, c0, c1) over (unit, channel) pairs of a chunk, in parallel;
// a task never spans two units.
template <class Fn>
void for_unit_channels(const Context& ctx, const Conv2dGeometry& g, const ConvChunk& chunk, Fn&& fn) {
  const size_t work = g.kh * g.kw * chunk.tile();
  parallel_for(ctx, chunk.images * g.c, std::max<size_t>(1, kMinTaskFloats / std::max<size_t>(work, 1)),
               [&](size_t t0, size_t t1, int) {
                 for (size_t t = t0; t < t1;) {
                   size_t u = t / g.c, c0 = t % g.c;
                   size_t c1 = std::min(g.c, c0 + (t1 - t));
                   fn(u, c0, c1);
                   t += c1 - c0;
                 }
               });
}

}  // namespace

void conv2d_backward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                     const float* gy, float* gx, float* gw, float* gb) {
  if (gb != nullptr) bias_gradient(ctx, g, gy, gb);
  if (gx == nullptr && gw == nullptr) return;

  const size_t plane = g.output_plane(), k = g.patch_size();
  const size_t in_image = g.c * g.h * g.w, out_image = g.o * plane;
  if (g.n == 0 || k == 0 || g.o == 0) {
    // Nothing flows: the gradients that exist are zero.
    if (gw != nullptr) std::memset(gw, 0, g.o * k * sizeof(float));
    if (gx != nullptr) std::memset(gx, 0, g.n * in_image * sizeof(float));
    return;
  }

  if (g.is_pointwise()) {
    for (size_t b = 0; b < g.n; ++b) {
      const float* gy_b = gy + b * out_image;
      // gW[o, c] += gy_b[o, p] · x_b[c, p]ᵀ
      if (gw != nullptr) {
        gemm_f32(ctx, false, true, g.o, g.c, plane, 1.0f, gy_b, plane, x + b * in_image, plane,
                 b == 0 ? 0.0f : 1.0f, gw, g.c);
      }
      // gx_b[c, p] = W[o, c]ᵀ · gy_b[o, p]
      if (gx != nullptr) {
        gemm_f32(ctx, true, false, g.c, plane, g.o, 1.0f, w, g.c, gy_b, plane, 0.0f, gx + b * in_image,
                 plane);
      }
    }
    return;
  }

  const ConvChunking plan = conv_chunking(g);
  float* col = gw == nullptr ? nullptr
                             : ctx.workspace->get_as<float>(Workspace::key(kWsIm2col, 0),
                                                            k * plan.buffer_floats());
  float* gcol = gx == nullptr ? nullptr
                              : ctx.workspace->get_as<float>(Workspace::key(kWsConvTemp, 0),
                                                             k * plan.buffer_floats());
  bool first_weight_product = true;
  for_each_conv_chunk(g, plan, [&](const ConvChunk& chunk) {
    const size_t tile = chunk.tile();
    if (gw != nullptr) {
      for_unit_channels(ctx, g, chunk, [&](size_t u, size_t c0, size_t c1) {
        im2col_channels(g, x + (chunk.first + u) * in_image, c0, c1, chunk.p0, chunk.p1, col + u * k * tile);
      });
      // gW[o, k] += gy_b[o, p0:p1] · col_bᵀ
      for (size_t u = 0; u < chunk.images; ++u) {
        gemm_f32(ctx, false, true, g.o, k, tile, 1.0f, gy + (chunk.first + u) * out_image + chunk.p0, plane,
                 col + u * k * tile, tile, first_weight_product ? 0.0f : 1.0f, gw, k);
        first_weight_product = false;
      }
    }
    if (gx != nullptr) {
      // gcol_b = W[o, k]ᵀ · gy_b[o, p0:p1], then folded back onto the image.
      for (size_t u = 0; u < chunk.images; ++u) {
        gemm_f32(ctx, true, false, k, tile, g.o, 1.0f, w, k, gy + (chunk.first + u) * out_image + chunk.p0,
                 plane, 0.0f, gcol + u * k * tile, tile);
      }
      for_unit_channels(ctx, g, chunk, [&](size_t u, size_t c0, size_t c1) {
        col2im_channels(g, gcol + u * k * tile, c0, c1, chunk.p0, chunk.p1, gx + (chunk.first + u) * in_image,
                        chunk.p0 == 0);
      });
    }
  });
}

}  // namespace dendrite
