// Adaptive pooling drivers: threads split the (n, c) planes; within a plane
// each output cell walks its bin. Global average pooling (a 1×1 output) is a
// row sum per plane, taken from the reduce family's vectorised kernels.
#include "pool/adaptive_pool2d.h"

#include <algorithm>
#include <cstring>

#include "elementwise/isa_select.h"
#include "pool/for_each_plane.h"
#include "reduce/reduce_kernels.h"

namespace dendrite {
namespace {

// Rows [y0, y1) and columns [x0, x1) of output cell (oy, ox).
struct Bin {
  size_t y0, y1, x0, x1;
  size_t count() const { return (y1 - y0) * (x1 - x0); }
};

Bin bin_of(const AdaptivePool2dGeometry& g, size_t oy, size_t ox) {
  return {adaptive_bin_begin(oy, g.h, g.oh), adaptive_bin_end(oy, g.h, g.oh), adaptive_bin_begin(ox, g.w, g.ow),
          adaptive_bin_end(ox, g.w, g.ow)};
}

bool is_global(const AdaptivePool2dGeometry& g) { return g.oh == 1 && g.ow == 1; }

float (*row_sum(const Context& ctx))(const float*, size_t) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return reduce_kernels_avx2().sum_row;
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(ctx.isa)) return reduce_kernels_neon().sum_row;
#endif
  return reduce_kernels_scalar().sum_row;
}

void avg_plane(const AdaptivePool2dGeometry& g, const float* x, float* out) {
  for (size_t oy = 0; oy < g.oh; ++oy) {
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Bin b = bin_of(g, oy, ox);
      float sum = 0.0f;
      for (size_t iy = b.y0; iy < b.y1; ++iy)
        for (size_t ix = b.x0; ix < b.x1; ++ix) sum += x[iy * g.w + ix];
      out[oy * g.ow + ox] = sum / static_cast<float>(b.count());
    }
  }
}

void avg_plane_backward(const AdaptivePool2dGeometry& g, const float* gy, float* gx) {
  std::memset(gx, 0, g.h * g.w * sizeof(float));
  for (size_t oy = 0; oy < g.oh; ++oy) {
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Bin b = bin_of(g, oy, ox);
      const float share = gy[oy * g.ow + ox] / static_cast<float>(b.count());
      for (size_t iy = b.y0; iy < b.y1; ++iy)
        for (size_t ix = b.x0; ix < b.x1; ++ix) gx[iy * g.w + ix] += share;
    }
  }
}

void max_plane(const AdaptivePool2dGeometry& g, const float* x, float* out, int32_t* indices) {
  for (size_t oy = 0; oy < g.oh; ++oy) {
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Bin b = bin_of(g, oy, ox);
      size_t best_at = b.y0 * g.w + b.x0;
      float best = x[best_at];
      for (size_t iy = b.y0; iy < b.y1; ++iy) {
        for (size_t ix = b.x0; ix < b.x1; ++ix) {
          const float v = x[iy * g.w + ix];
          // Strictly greater keeps the first maximum; the first NaN wins and stays.
          if (v > best || (v != v && best == best)) {
            best = v;
            best_at = iy * g.w + ix;
          }
        }
      }
      out[oy * g.ow + ox] = best;
      indices[oy * g.ow + ox] = static_cast<int32_t>(best_at);
    }
  }
}

}  // namespace

void adaptive_avgpool2d_forward(const Context& ctx, const AdaptivePool2dGeometry& g, const float* x, float* out) {
  const size_t in = g.input_plane(), on = g.output_plane();
  if (is_global(g)) {
    const auto sum = row_sum(ctx);
    const float count = static_cast<float>(in);
    for_each_plane(ctx, g.planes(), in, [&](size_t p) { out[p] = sum(x + p * in, in) / count; });
    return;
  }
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) { avg_plane(g, x + p * in, out + p * on); });
}

void adaptive_avgpool2d_backward(const Context& ctx, const AdaptivePool2dGeometry& g, const float* gy, float* gx) {
  const size_t in = g.input_plane(), on = g.output_plane();
  if (is_global(g)) {
    const float count = static_cast<float>(in);
    for_each_plane(ctx, g.planes(), in, [&](size_t p) { std::fill_n(gx + p * in, in, gy[p] / count); });
    return;
  }
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) { avg_plane_backward(g, gy + p * on, gx + p * in); });
}

void adaptive_maxpool2d_forward(const Context& ctx, const AdaptivePool2dGeometry& g, const float* x, float* out,
                                int32_t* indices) {
  const size_t in = g.input_plane(), on = g.output_plane();
  for_each_plane(ctx, g.planes(), in + 2 * on,
                 [&](size_t p) { max_plane(g, x + p * in, out + p * on, indices + p * on); });
}

}  // namespace dendrite
