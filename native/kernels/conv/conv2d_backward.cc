#include <algorithm>
#include <cstring>

#include "conv/conv2d.h"
#include "conv/channel_bias.h"
#include "conv/chunk_rows.h"
#include "conv/conv2d_chunks.h"
#include "conv/depthwise.h"
#include "conv/im2col.h"
#include "conv/partial_sums.h"
#include "conv/winograd.h"
#include "gemm/gemm.h"

namespace dendrite {
namespace {

// Shortest slice of the depth worth its own partial weight gradient.
constexpr size_t kMinSliceDepth = 256;
// Multiply-adds per thread below which gemm_f32 does not split a product (its
// threshold): products smaller than this times the thread count leave
// threads idle unless several run side by side.
constexpr double kGemmWorkPerThread = 1 << 20;

// gW[o, k] (= when `first`, else +=) gy · colᵀ, where gy [o, depth] has rows
// ld_gy apart and col [k, depth] rows ld_col apart.
//
// One product when gW has enough tiles to give every thread work; otherwise
// (a few output channels of a shallow patch: W7's first layer has gW 32×9)
// the depth is cut into one slice per thread, each summed into a private
// partial by products run side by side, and the partials added up at the end.
void accumulate_weight_gradient(const Context& ctx, size_t o, size_t k, size_t depth, const float* gy,
                                size_t ld_gy, const float* col, size_t ld_col, bool first, float* gw) {
  const size_t threads = static_cast<size_t>(ctx.threads());
  const size_t tiles = ((o + 7) / 8) * ((k + 15) / 16);
  const size_t slices = std::min(threads, depth / kMinSliceDepth);
  if (slices <= 1 || tiles >= 4 * threads) {
    gemm_f32(ctx, false, true, o, k, depth, 1.0f, gy, ld_gy, col, ld_col, first ? 0.0f : 1.0f, gw, k);
    return;
  }
  const size_t size = o * k, slice = depth / slices, rest = depth - slices * slice;
  float* partial = ctx.workspace->get_as<float>(Workspace::key(kWsConvTemp2, 0), slices * size);
  gemm_f32_batched(ctx, false, true, o, k, slice, 1.0f, gy, ld_gy, slice, col, ld_col, slice, 0.0f, partial, k,
                   size, slices);
  if (rest != 0) {
    gemm_f32(ctx, false, true, o, k, rest, 1.0f, gy + slices * slice, ld_gy, col + slices * slice, ld_col, 1.0f,
             partial, k);
  }
  add_partials(ctx, partial, slices, size, first, gw);
}

// gW[o, k] (= when `first`, else +=) Σ_i gy_i · col_iᵀ over `images` images
// (chunks whose units are not side by side),
// where gy_i [o, tile] starts at gy + i·gy_stride with rows ld_gy apart and
// col_i [k, tile] at col + i·col_stride with rows `tile` apart.
//
// The products share their output. When each is big enough for the GEMM to
// use every thread they run one after another; when they are smaller, each
// thread accumulates its own share of the images into a private partial sum
// (products side by side through gemm_f32_batched), and the partials are added
// up at the end.
void accumulate_weight_gradient_per_image(const Context& ctx, size_t o, size_t k, size_t tile, const float* gy,
                                size_t ld_gy, size_t gy_stride, const float* col, size_t col_stride,
                                size_t images, bool first, float* gw) {
  if (images == 0) return;
  const size_t threads = static_cast<size_t>(ctx.threads());
  const double work = double(o) * double(k) * double(tile);
  const size_t groups = std::min(threads, images);
  if (groups <= 1 || work >= double(threads) * kGemmWorkPerThread) {
    gemm_f32(ctx, false, true, o, k, tile, 1.0f, gy, ld_gy, col, tile, first ? 0.0f : 1.0f, gw, k);
    gemm_f32_batched(ctx, false, true, o, k, tile, 1.0f, gy + gy_stride, ld_gy, gy_stride, col + col_stride,
                     tile, col_stride, 1.0f, gw, k, 0, images - 1);
    return;
  }
  const size_t size = o * k;
  float* partial = ctx.workspace->get_as<float>(Workspace::key(kWsConvTemp2, 0), groups * size);
  // Round r gives image r·groups + g to partial g; every partial gets an image in round 0.
  for (size_t r = 0; r * groups < images; ++r) {
    const size_t start = r * groups, count = std::min(groups, images - start);
    gemm_f32_batched(ctx, false, true, o, k, tile, 1.0f, gy + start * gy_stride, ld_gy, gy_stride,
                     col + start * col_stride, tile, col_stride, r == 0 ? 0.0f : 1.0f, partial, k, size, count);
  }
  add_partials(ctx, partial, groups, size, first, gw);
}

}  // namespace

void conv2d_backward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                     const float* gy, float* gx, float* gw, float* gb) {
  if (gb != nullptr) channel_sums(ctx, g.n, g.o, g.output_plane(), gy, gb);
  if (gx == nullptr && gw == nullptr) return;

  const size_t plane = g.output_plane(), k = g.patch_size();
  const size_t in_image = g.c * g.h * g.w, out_image = g.o * plane;
  if (g.n == 0 || k == 0 || g.o == 0) {
    // Nothing flows: the gradients that exist are zero.
    if (gw != nullptr) std::memset(gw, 0, g.weight_size() * sizeof(float));
    if (gx != nullptr) std::memset(gx, 0, g.n * in_image * sizeof(float));
    return;
  }

  if (depthwise_applicable(g)) {
    if (gx != nullptr) depthwise_conv2d_input_gradient(ctx, g, w, gy, gx);
    if (gw != nullptr) depthwise_conv2d_weight_gradient(ctx, g, x, gy, gw);
    return;
  }

  if (winograd_applicable(g)) {
    if (gx != nullptr) winograd_conv2d_input_gradient(ctx, g, w, gy, gx);
    if (gw != nullptr) winograd_conv2d_weight_gradient(ctx, g, x, gy, gw);
    return;
  }

  // Per group: its weight rows [gi·og, (gi+1)·og) (kg long), its block of kg
  // column-matrix rows and its og output-gradient channels (one group when
  // groups = 1: the whole matrices).
  const size_t groups = g.groups, og = g.group_outputs(), cg = g.group_channels(), kg = g.group_patch();

  if (g.is_pointwise()) {
    // gx_b[c, p] = W[o, c]ᵀ · gy_b[o, p]: each image is its own column matrix.
    if (gx != nullptr) {
      for (size_t gi = 0; gi < groups; ++gi) {
        gemm_f32_batched(ctx, true, false, cg, plane, og, 1.0f, w + gi * og * cg, cg, 0, gy + gi * og * plane, plane,
                         out_image, 0.0f, gx + gi * cg * plane, plane, in_image, g.n);
      }
    }
    // gW goes through the chunks below (their im2col is a copy), so small
    // planes are summed side by side in one product.
    gx = nullptr;
    if (gw == nullptr) return;
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
    const size_t tile = chunk.tile(), ld = chunk.ld();
    if (gw != nullptr) {
      for_unit_channels(ctx, g, chunk, [&](size_t u, size_t c0, size_t c1) {
        im2col_channels(ctx.isa, g, x + (chunk.first + u) * in_image, c0, c1, chunk.p0, chunk.p1,
                        col + chunk.unit_offset(u, k), ld);
      });
    }
    if (!chunk.side_by_side) {
      const float* gy_chunk = gy + chunk.first * out_image + chunk.p0;
      for (size_t gi = 0; gi < groups; ++gi) {
        const float* gy_group = gy_chunk + gi * og * plane;
        // gW[o, k] += gy_b[o, p0:p1] · col_bᵀ
        if (gw != nullptr) {
          accumulate_weight_gradient_per_image(ctx, og, kg, tile, gy_group, plane, out_image, col + gi * kg * tile,
                                               k * tile, chunk.images, first_weight_product, gw + gi * og * kg);
        }
        // gcol_b = W[o, k]ᵀ · gy_b[o, p0:p1], then folded back onto the image.
        if (gx != nullptr) {
          gemm_f32_batched(ctx, true, false, kg, tile, og, 1.0f, w + gi * og * kg, kg, 0, gy_group, plane, out_image,
                           0.0f, gcol + gi * kg * tile, tile, k * tile, chunk.images);
        }
      }
    } else {
      // The chunk's output gradient gathered into one [o, width] matrix, like the columns.
      float* gy_chunk = ctx.workspace->get_as<float>(Workspace::key(kWsConvTemp3, 0), g.o * plan.buffer_floats());
      chunk_rows_to_matrix(ctx, chunk, g.o, plane, gy, gy_chunk);
      for (size_t gi = 0; gi < groups; ++gi) {
        const float* gy_group = gy_chunk + gi * og * ld;
        if (gw != nullptr) {
          accumulate_weight_gradient(ctx, og, kg, ld, gy_group, ld, col + gi * kg * ld, ld, first_weight_product,
                                     gw + gi * og * kg);
        }
        if (gx != nullptr) {
          gemm_f32(ctx, true, false, kg, ld, og, 1.0f, w + gi * og * kg, kg, gy_group, ld, 0.0f, gcol + gi * kg * ld,
                   ld);
        }
      }
    }
    if (gw != nullptr) first_weight_product = false;
    if (gx != nullptr) {
      for_unit_channels(ctx, g, chunk, [&](size_t u, size_t c0, size_t c1) {
        col2im_channels(ctx.isa, g, gcol + chunk.unit_offset(u, k), ld, c0, c1, chunk.p0, chunk.p1,
                        gx + (chunk.first + u) * in_image, chunk.p0 == 0);
      });
    }
  });
}

}  // namespace dendrite
