// NEON reduction kernels; same definitions as reduce_scalar.cc. Partial
// vectors at the end of a row or a column tile are read lane by lane, their
// missing lanes filled so that they change nothing.
#include <arm_neon.h>

#include <cmath>

#include "cpu/simd_neon.h"
#include "reduce/reduce_kernels.h"

namespace dendrite {
namespace {

using neon::kLanes;
using neon::load_first;
using neon::store_first;

constexpr size_t kRowBlock = 1024;
constexpr size_t kColumnBlock = 64;
// 4-lane vectors in the widest column tile.
constexpr size_t kTileVectors = kReduceColumnTile / kLanes;

float sum_row(const float* x, size_t n) {
  float32x4_t total = vdupq_n_f32(0.0f);
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kRowBlock < n ? i + kRowBlock : n;
    float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 16 <= end; i += 16) {
      a0 = vaddq_f32(a0, vld1q_f32(x + i));
      a1 = vaddq_f32(a1, vld1q_f32(x + i + 4));
      a2 = vaddq_f32(a2, vld1q_f32(x + i + 8));
      a3 = vaddq_f32(a3, vld1q_f32(x + i + 12));
    }
    for (; i + 4 <= end; i += 4) a0 = vaddq_f32(a0, vld1q_f32(x + i));
    if (i < end) {
      a1 = vaddq_f32(a1, load_first(x + i, end - i));
      i = end;
    }
    total = vaddq_f32(total, vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
  }
  return vaddvq_f32(total);
}

// The vectors of a tile of `width` columns (width <= kReduceColumnTile) and
// how many of each one's lanes are columns.
struct ColumnTile {
  size_t vectors;
  size_t used[kTileVectors];
  explicit ColumnTile(size_t width) : vectors((width + kLanes - 1) / kLanes) {
    for (size_t v = 0; v < vectors; ++v) used[v] = width - v * kLanes < kLanes ? width - v * kLanes : kLanes;
  }
  float32x4_t load(const float* row, size_t v, float32x4_t fill) const {
    return used[v] == kLanes ? vld1q_f32(row + v * kLanes) : load_first(row + v * kLanes, used[v], fill);
  }
};

void sum_columns(const float* x, size_t len, size_t stride, size_t width, float* out) {
  const ColumnTile tile(width);
  const float32x4_t zero = vdupq_n_f32(0.0f);
  float32x4_t total[kTileVectors], block[kTileVectors];
  for (size_t v = 0; v < tile.vectors; ++v) total[v] = zero;
  for (size_t b = 0; b < len; b += kColumnBlock) {
    const size_t end = b + kColumnBlock < len ? b + kColumnBlock : len;
    for (size_t v = 0; v < tile.vectors; ++v) block[v] = zero;
    for (size_t l = b; l < end; ++l) {
      const float* row = x + l * stride;
      for (size_t v = 0; v < tile.vectors; ++v) block[v] = vaddq_f32(block[v], tile.load(row, v, zero));
    }
    for (size_t v = 0; v < tile.vectors; ++v) total[v] = vaddq_f32(total[v], block[v]);
  }
  for (size_t v = 0; v < tile.vectors; ++v) store_first(out + v * kLanes, total[v], tile.used[v]);
}

// Lanes where v should replace best: greater, or the first NaN.
inline uint32x4_t improves(float32x4_t v, float32x4_t best) {
  return vorrq_u32(vcgtq_f32(v, best), vbicq_u32(neon::is_nan(v), neon::is_nan(best)));
}

void max_row(const float* x, size_t n, float* out, int32_t* index) {
  const float32x4_t neg_inf = vdupq_n_f32(-INFINITY);
  const uint32x4_t lane = {0, 1, 2, 3};
  // Lanes past n hold -inf with indices >= n, so they never win a tie.
  float32x4_t best = n >= kLanes ? vld1q_f32(x) : load_first(x, n, neg_inf);
  uint32x4_t at = lane;
  for (size_t i = kLanes; i < n; i += kLanes) {
    const float32x4_t v = i + kLanes <= n ? vld1q_f32(x + i) : load_first(x + i, n - i, neg_inf);
    const uint32x4_t take = improves(v, best);
    best = vbslq_f32(take, v, best);
    at = vbslq_u32(take, vaddq_u32(lane, vdupq_n_u32(static_cast<uint32_t>(i))), at);
  }
  float values[kLanes];
  uint32_t positions[kLanes];
  vst1q_f32(values, best);
  vst1q_u32(positions, at);
  // Across lanes: NaN beats numbers, larger beats smaller, ties go to the lower index.
  float v = values[0];
  uint32_t p = positions[0];
  for (size_t k = 1; k < kLanes; ++k) {
    const float w = values[k];
    const bool v_nan = v != v, w_nan = w != w;
    const bool better = v_nan ? (w_nan && positions[k] < p) : (w_nan || w > v || (w == v && positions[k] < p));
    if (better) v = w, p = positions[k];
  }
  *out = v;
  *index = static_cast<int32_t>(p);
}

// Indices are kept as integer lanes (NEON selects any lane type), so every
// axis length an int32 index can name works.
void max_columns(const float* x, size_t len, size_t stride, size_t width, float* out, int32_t* index) {
  const ColumnTile tile(width);
  const float32x4_t zero = vdupq_n_f32(0.0f);
  float32x4_t best[kTileVectors];
  uint32x4_t at[kTileVectors];
  for (size_t v = 0; v < tile.vectors; ++v) best[v] = tile.load(x, v, zero), at[v] = vdupq_n_u32(0);
  for (size_t l = 1; l < len; ++l) {
    const float* row = x + l * stride;
    const uint32x4_t pos = vdupq_n_u32(static_cast<uint32_t>(l));
    for (size_t v = 0; v < tile.vectors; ++v) {
      const float32x4_t value = tile.load(row, v, zero);
      const uint32x4_t take = improves(value, best[v]);
      best[v] = vbslq_f32(take, value, best[v]);
      at[v] = vbslq_u32(take, pos, at[v]);
    }
  }
  for (size_t v = 0; v < tile.vectors; ++v) {
    store_first(out + v * kLanes, best[v], tile.used[v]);
    store_first(index + v * kLanes, vreinterpretq_s32_u32(at[v]), tile.used[v]);
  }
}

// Σ Add(x[i]) in double lanes: Add widens four floats into an accumulator.
template <neon::Double4 (*Add)(neon::Double4, float32x4_t)>
double widened_sum(const float* x, size_t n) {
  neon::Double4 a0 = neon::double4_zero(), a1 = a0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    a0 = Add(a0, vld1q_f32(x + i));
    a1 = Add(a1, vld1q_f32(x + i + 4));
  }
  for (; i < n; i += kLanes) a0 = Add(a0, load_first(x + i, n - i));  // missing lanes are 0
  return neon::sum(a0) + neon::sum(a1);
}

}  // namespace

const ReduceKernels& reduce_kernels_neon() {
  static const ReduceKernels k{sum_row, sum_columns, max_row, max_columns, widened_sum<neon::add_widened>,
                               widened_sum<neon::add_squares_widened>};
  return k;
}

}  // namespace dendrite
