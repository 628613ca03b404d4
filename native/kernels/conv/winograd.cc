#include "conv/winograd.h"

#include <algorithm>
#include <cstdint>

#include "conv/partial_sums.h"
#include "conv/winograd_filter.h"
#include "conv/winograd_kernels.h"
#include "gemm/gemm_kernels.h"

namespace dendrite {
namespace {

using winograd::kPositions;
using winograd::TileGrid;

// Fewer channels than this on either side and im2col's deeper patch makes the
// better GEMM (W7's first layer has one input channel).
constexpr size_t kMinChannels = 8;
// More than this on either side and im2col stays: its products are deep enough
// to run near peak already, and the weight gradient's per-thread sums below
// would grow with the square of the channels (not measured there).
constexpr size_t kMaxChannels = 256;
// Floats of transformed tiles a thread keeps per block (512 KiB: a quarter of
// one core's L2, beside the filter panels and the micro-kernel's working set).
constexpr size_t kBlockFloats = size_t{1} << 17;

size_t round_up(size_t v, size_t to) { return (v + to - 1) / to * to; }

// Tiles per block: a multiple of `unit`, at most what `floats_per_tile` lets
// kBlockFloats hold, and sized so the blocks split evenly over the threads.
size_t block_tiles(size_t tiles, size_t floats_per_tile, size_t unit, size_t threads) {
  const size_t most = std::max(unit, kBlockFloats / floats_per_tile / unit * unit);
  size_t blocks = (tiles + most - 1) / most;
  blocks = round_up(std::max(blocks, size_t{1}), threads);
  return std::max(unit, round_up((tiles + blocks - 1) / blocks, unit));
}

// out [images, cout, h, w] = the convolution of in [images, cin, h, w] whose
// transformed filters are u[ξ][cout][cin], plus bias (may be nullptr); images
// are in_stride floats apart in `in` and out_stride apart in `out` (more than
// the channels' planes when they are one group's).
void convolve(const Context& ctx, const TileGrid& grid, size_t cin, size_t in_stride, size_t cout, size_t out_stride,
              const float* in, const float* u, const float* bias, float* out) {
  const gemm::GemmKernels& gk = gemm::gemm_kernels(ctx.isa, cout);
  const winograd::WinogradKernels& wk = winograd::winograd_kernels(ctx.isa);
  const size_t mr = gk.mr, nr = gk.nr, row_panels = (cout + mr - 1) / mr;
  const size_t filter_stride = row_panels * mr * cin;  // packed filter floats per ξ

  float* filters = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradFilters, 0),
                                                kPositions * filter_stride + gemm::kPackSlack);
  for (size_t xi = 0; xi < kPositions; ++xi) {
    gk.pack_a(gemm::Operand{u + xi * cout * cin, cin, false}, cout, cin, filters + xi * filter_stride);
  }

  const size_t threads = static_cast<size_t>(ctx.threads());
  const size_t block = block_tiles(grid.tiles, kPositions * cin, nr, threads);
  const size_t blocks = (grid.tiles + block - 1) / block;
  parallel_for(ctx, blocks, 1, [&](size_t b0, size_t b1, int thread) {
    float* v = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradTiles, thread),
                                            kPositions * winograd::position_stride(cin * block) + gemm::kPackSlack);
    float* m = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradProducts, thread), kPositions * mr * nr);
    for (size_t b = b0; b < b1; ++b) {
      const size_t t0 = b * block, count = std::min(block, grid.tiles - t0), panels = (count + nr - 1) / nr;
      const size_t stride = winograd::position_stride(panels * cin * nr);
      wk.input_to_panels(grid, in, cin, in_stride, t0, panels * nr, nr, v);
      for (size_t p = 0; p < row_panels; ++p) {
        const float* a = filters + p * mr * cin;
        const size_t rows = std::min(mr, cout - p * mr);
        for (size_t q = 0; q < panels; ++q) {
          const float* bq = v + q * cin * nr;
          for (size_t xi = 0; xi < kPositions; ++xi) {
            const size_t next = xi + 1 < kPositions ? xi + 1 : xi;
            gk.micro_kernel(cin, a + xi * filter_stride, bq + xi * stride, m + xi * mr * nr, nr, 1.0f, 0.0f, mr, nr,
                            a + next * filter_stride, bq + next * stride);
          }
          wk.panel_to_output(grid, m, mr, nr, rows, p * mr, out_stride, t0 + q * nr, std::min(nr, count - q * nr),
                             bias, out);
        }
      }
    }
  });
}

// fn(task, thread) for every task < tasks, on the pool when there is one;
// scratch is keyed by `thread`, so tasks sharing a thread run one after another.
template <class Fn>
void run_tasks(const Context& ctx, size_t tasks, Fn&& fn) {
  if (tasks <= 1 || ctx.pool == nullptr) {
    for (size_t t = 0; t < tasks; ++t) fn(t, 0);
    return;
  }
  ctx.pool->run(static_cast<int>(tasks), [&](int task, int thread) { fn(static_cast<size_t>(task), thread); });
}

}  // namespace

bool winograd_geometry_fits(const Conv2dGeometry& g) {
  if (g.kh != 3 || g.kw != 3 || g.stride_h != 1 || g.stride_w != 1 || g.pad_h != 1 || g.pad_w != 1 ||
      g.dilation_h != 1 || g.dilation_w != 1) {
    return false;
  }
  if (g.n == 0 || g.c == 0 || g.o == 0 || g.h == 0 || g.w == 0 || g.oh != g.h || g.ow != g.w) return false;
  if (!conv2d_groups_valid(g)) return false;
  // The tile transforms address a whole batch with 32-bit offsets.
  const double span = double(g.n) * double(std::max(g.c, g.o)) * double(g.h) * double(g.w);
  return span < double(INT32_MAX) - 4.0 * double(g.w);
}

bool winograd_applicable(const Conv2dGeometry& g) {
  if (!winograd_geometry_fits(g)) return false;
  const size_t cg = g.group_channels(), og = g.group_outputs();
  return cg >= kMinChannels && og >= kMinChannels && cg <= kMaxChannels && og <= kMaxChannels;
}

// Each group is its own convolution of its cg input channels into its og
// output channels, read and written in place in the whole tensors.
void winograd_conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* out) {
  const size_t cg = g.group_channels(), og = g.group_outputs(), plane = g.input_plane();
  float* u = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradPositions, 0), kPositions * og * cg);
  const TileGrid grid = winograd::tile_grid(g.n, g.h, g.w);
  for (size_t gi = 0; gi < g.groups; ++gi) {
    winograd::filter_to_positions(w + gi * og * cg * 9, og, cg, u);
    convolve(ctx, grid, cg, g.c * plane, og, g.o * plane, x + gi * cg * plane, u,
             bias != nullptr ? bias + gi * og : nullptr, out + gi * og * plane);
  }
}

void winograd_conv2d_input_gradient(const Context& ctx, const Conv2dGeometry& g, const float* w, const float* gy,
                                    float* gx) {
  const size_t cg = g.group_channels(), og = g.group_outputs(), plane = g.input_plane();
  float* u = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradPositions, 0), kPositions * og * cg);
  const TileGrid grid = winograd::tile_grid(g.n, g.h, g.w);
  for (size_t gi = 0; gi < g.groups; ++gi) {
    winograd::rotated_filter_to_positions(w + gi * og * cg * 9, og, cg, u);
    convolve(ctx, grid, og, g.o * plane, cg, g.c * plane, gy + gi * og * plane, u, nullptr, gx + gi * cg * plane);
  }
}

namespace {

// gw [o, c, 3, 3] of one group: o output channels of gy and c input channels
// of x, each tensor's images `*_stride` floats apart.
void weight_gradient(const Context& ctx, const TileGrid& grid, size_t o, size_t gy_stride, size_t c, size_t x_stride,
                     const float* x, const float* gy, float* gw) {
  const gemm::GemmKernels& gk = gemm::gemm_kernels(ctx.isa, o);
  const winograd::WinogradKernels& wk = winograd::winograd_kernels(ctx.isa);
  const size_t mr = gk.mr, nr = gk.nr;
  const size_t row_panels = (o + mr - 1) / mr, col_panels = (c + nr - 1) / nr;
  const size_t rows = row_panels * mr, cols = col_panels * nr;
  // dU[ξ] = Σ over tiles of (A·dy·Aᵀ)[ξ] · (Bᵀ·d·B)[ξ]ᵀ, an o×c product per ξ
  // whose depth is the tiles: each task sums its run of blocks into its own dU.
  const size_t per_task = kPositions * rows * cols;
  const size_t threads = static_cast<size_t>(ctx.threads());
  // At least 64 tiles deep, so each product's sums are reloaded rarely.
  const size_t block = std::max<size_t>(64, block_tiles(grid.tiles, kPositions * (rows + cols), 1, threads));
  const size_t blocks = (grid.tiles + block - 1) / block;
  const size_t per = (blocks + threads - 1) / threads, tasks = (blocks + per - 1) / per;
  float* partial = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradPartials, 0), tasks * per_task);
  run_tasks(ctx, tasks, [&](size_t task, int thread) {
    float* a = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradProducts, thread),
                                            kPositions * winograd::position_stride(rows * block) + gemm::kPackSlack);
    float* v = ctx.workspace->get_as<float>(Workspace::key(kWsWinogradTiles, thread),
                                            kPositions * winograd::position_stride(cols * block) + gemm::kPackSlack);
    float* du = partial + task * per_task;
    const size_t b0 = task * per, b1 = std::min(blocks, b0 + per);
    for (size_t b = b0; b < b1; ++b) {
      const size_t t0 = b * block, kc = std::min(block, grid.tiles - t0);
      wk.gradient_to_row_panels(grid, gy, o, gy_stride, t0, kc, mr, a);
      wk.input_to_channel_panels(grid, x, c, x_stride, t0, kc, nr, v);
      const float beta = b == b0 ? 0.0f : 1.0f;
      const size_t a_stride = winograd::position_stride(rows * kc), v_stride = winograd::position_stride(cols * kc);
      for (size_t xi = 0; xi < kPositions; ++xi) {
        for (size_t p = 0; p < row_panels; ++p) {
          const float* ap = a + xi * a_stride + p * kc * mr;
          for (size_t q = 0; q < col_panels; ++q) {
            const float* vq = v + xi * v_stride + q * kc * nr;
            gk.micro_kernel(kc, ap, vq, du + (xi * rows + p * mr) * cols + q * nr, cols, 1.0f, beta, mr, nr, ap,
                            vq);
          }
        }
      }
    }
  });
  // The tasks' sums added into the first, then back to 3×3 kernels.
  add_partials(ctx, partial + per_task, tasks - 1, per_task, false, partial);
  winograd::positions_to_filter_gradient(partial, cols, rows * cols, o, c, gw);
}

}  // namespace

void winograd_conv2d_weight_gradient(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* gy,
                                     float* gw) {
  const size_t cg = g.group_channels(), og = g.group_outputs(), plane = g.input_plane();
  const TileGrid grid = winograd::tile_grid(g.n, g.h, g.w);
  for (size_t gi = 0; gi < g.groups; ++gi) {
    weight_gradient(ctx, grid, og, g.o * plane, cg, g.c * plane, x + gi * cg * plane, gy + gi * og * plane,
                    gw + gi * og * cg * 9);
  }
}

}  // namespace dendrite
