// 2×2 stride-2 pooling on NEON, four output columns per step: vld2q splits
// eight floats of an input row into its even and odd columns, so two rows give
// the four window positions of four windows as four vectors. Rows of more than
// four outputs end with a block shifted left to end at the last output (it
// recomputes a few); rows of fewer go through a zero-padded copy.
#include <arm_neon.h>

#include <algorithm>
#include <cstring>

#include "pool/pool2d_planes.h"

namespace dendrite::neon {
namespace {

// Even and odd columns of the first 2·count (count <= 4) floats of row;
// lanes past count read 0 and nothing past the row end is read.
inline float32x4x2_t split_even_odd_first(const float* row, size_t count) {
  float padded[8] = {};
  std::memcpy(padded, row, 2 * count * sizeof(float));
  return vld2q_f32(padded);
}

// The largest of each window's four values (top-left, top-right, bottom-left,
// bottom-right) and, per lane, the offset of the one taken from the top-left
// pixel: strictly greater wins, or the first NaN.
inline float32x4_t max_of_windows(float32x4x2_t top, float32x4x2_t bottom, size_t w, uint32x4_t* offset) {
  const uint32x4_t steps[3] = {vdupq_n_u32(1), vdupq_n_u32(static_cast<uint32_t>(w)),
                               vdupq_n_u32(static_cast<uint32_t>(w + 1))};
  const float32x4_t candidates[3] = {top.val[1], bottom.val[0], bottom.val[1]};
  float32x4_t best = top.val[0];
  *offset = vdupq_n_u32(0);
  for (int k = 0; k < 3; ++k) {
    const float32x4_t v = candidates[k];
    const uint32x4_t v_nan = vmvnq_u32(vceqq_f32(v, v));
    const uint32x4_t take = vorrq_u32(vcgtq_f32(v, best), vandq_u32(v_nan, vceqq_f32(best, best)));
    best = vbslq_f32(take, v, best);
    *offset = vbslq_u32(take, steps[k], *offset);
  }
  return best;
}

// Window averages: the four positions summed in the order the portable loop adds them.
inline float32x4_t mean_of_windows(float32x4x2_t top, float32x4x2_t bottom) {
  const float32x4_t sum = vaddq_f32(vaddq_f32(vaddq_f32(top.val[0], top.val[1]), bottom.val[0]), bottom.val[1]);
  return vmulq_f32(sum, vdupq_n_f32(0.25f));
}

}  // namespace

void maxpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices) {
  const uint32x4_t lane_offsets = {0, 2, 4, 6};
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const size_t row_at = 2 * oy * g.w;
    const float* r0 = x + row_at;
    const float* r1 = r0 + g.w;
    float* o = out + oy * g.ow;
    int32_t* idx = indices + oy * g.ow;
    uint32x4_t offset;
    if (g.ow < 4) {
      const float32x4_t best = max_of_windows(split_even_odd_first(r0, g.ow), split_even_odd_first(r1, g.ow), g.w, &offset);
      const uint32x4_t at = vaddq_u32(vaddq_u32(vdupq_n_u32(static_cast<uint32_t>(row_at)), lane_offsets), offset);
      float values[4];
      uint32_t positions[4];
      vst1q_f32(values, best);
      vst1q_u32(positions, at);
      for (size_t k = 0; k < g.ow; ++k) o[k] = values[k], idx[k] = static_cast<int32_t>(positions[k]);
      continue;
    }
    for (size_t start = 0; start < g.ow; start += 4) {
      // The last block is shifted left to end at ow; it recomputes a few outputs.
      const size_t ox = std::min(start, g.ow - 4);
      const float32x4_t best = max_of_windows(vld2q_f32(r0 + 2 * ox), vld2q_f32(r1 + 2 * ox), g.w, &offset);
      const uint32x4_t base = vaddq_u32(vdupq_n_u32(static_cast<uint32_t>(row_at + 2 * ox)), lane_offsets);
      vst1q_f32(o + ox, best);
      vst1q_s32(idx + ox, vreinterpretq_s32_u32(vaddq_u32(base, offset)));
    }
  }
}

void avgpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out) {
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const float* r0 = x + 2 * oy * g.w;
    const float* r1 = r0 + g.w;
    float* o = out + oy * g.ow;
    if (g.ow < 4) {
      float values[4];
      vst1q_f32(values, mean_of_windows(split_even_odd_first(r0, g.ow), split_even_odd_first(r1, g.ow)));
      std::memcpy(o, values, g.ow * sizeof(float));
      continue;
    }
    for (size_t start = 0; start < g.ow; start += 4) {
      const size_t ox = std::min(start, g.ow - 4);
      vst1q_f32(o + ox, mean_of_windows(vld2q_f32(r0 + 2 * ox), vld2q_f32(r1 + 2 * ox)));
    }
  }
}

void avgpool_plane_backward_2x2(const Pool2dGeometry& g, const float* gy, float* gx) {
  const float32x4_t quarter = vdupq_n_f32(0.25f);
  for (size_t oy = 0; oy < g.oh; ++oy) {
    float* r0 = gx + 2 * oy * g.w;
    float* r1 = r0 + g.w;
    const float* grow = gy + oy * g.ow;
    size_t ox = 0;
    for (; ox + 4 <= g.ow; ox += 4) {
      // vst2q interleaves: each share lands on both columns of its window.
      const float32x4_t share = vmulq_f32(vld1q_f32(grow + ox), quarter);
      const float32x4x2_t pair = {{share, share}};
      vst2q_f32(r0 + 2 * ox, pair);
      vst2q_f32(r1 + 2 * ox, pair);
    }
    for (; ox < g.ow; ++ox) {
      const float share = grow[ox] * 0.25f;
      r0[2 * ox] = r0[2 * ox + 1] = r1[2 * ox] = r1[2 * ox + 1] = share;
    }
    // An odd width leaves a last column no window reads.
    if (g.w > 2 * g.ow) r0[g.w - 1] = r1[g.w - 1] = 0.0f;
  }
  // Likewise an odd height leaves a last row.
  for (size_t iy = 2 * g.oh; iy < g.h; ++iy) std::memset(gx + iy * g.w, 0, g.w * sizeof(float));
}

}  // namespace dendrite::neon
