// 2×2 stride-2 pooling, eight output columns per step: two input rows are
// loaded as 16 floats each and split into even and odd columns, giving the
// four window positions of eight windows as four vectors. Rows of fewer than
// eight outputs take the same path with masked loads and stores.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "gemm/simd_avx2.h"
#include "pool/pool2d_planes.h"

namespace dendrite::avx2 {
namespace {

using gemm::avx2::first_lanes;

// Even and odd columns of the 16 floats a, b (a first).
inline void even_odd(__m256 a, __m256 b, __m256* even, __m256* odd) {
  // shuffle gives [a0 a2 b0 b2 | a4 a6 b4 b6]; the 64-bit permute puts the pairs in order.
  *even = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
  *odd = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
}

// Even and odd columns of row[0..15].
inline void split_even_odd(const float* row, __m256* even, __m256* odd) {
  even_odd(_mm256_loadu_ps(row), _mm256_loadu_ps(row + 8), even, odd);
}

// As split_even_odd for the first 2·count floats of a row (count < 8: rows of
// fewer than eight outputs, such as W7's 14×14 planes); lanes past count read 0.
inline void split_even_odd_first(const float* row, size_t count, __m256* even, __m256* odd) {
  const size_t n = 2 * count;
  const __m256 b = n > 8 ? _mm256_maskload_ps(row + 8, first_lanes(n - 8)) : _mm256_setzero_ps();
  even_odd(_mm256_maskload_ps(row, first_lanes(n)), b, even, odd);
}

// The largest of each window's four values (top-left, top-right, bottom-left,
// bottom-right) and, per lane, the offset of the one taken from the top-left
// pixel: strictly greater wins, or the first NaN.
inline __m256 max_of_windows(__m256 v00, __m256 v01, __m256 v10, __m256 v11, size_t w, __m256i* offset) {
  const __m256i steps[3] = {_mm256_set1_epi32(1), _mm256_set1_epi32(static_cast<int>(w)),
                            _mm256_set1_epi32(static_cast<int>(w + 1))};
  const __m256 candidates[3] = {v01, v10, v11};
  __m256 best = v00;
  *offset = _mm256_setzero_si256();
  for (int k = 0; k < 3; ++k) {
    const __m256 v = candidates[k];
    const __m256 take = _mm256_or_ps(
        _mm256_cmp_ps(v, best, _CMP_GT_OQ),
        _mm256_and_ps(_mm256_cmp_ps(v, v, _CMP_UNORD_Q), _mm256_cmp_ps(best, best, _CMP_ORD_Q)));
    best = _mm256_blendv_ps(best, v, take);
    *offset = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(*offset), _mm256_castsi256_ps(steps[k]), take));
  }
  return best;
}

}  // namespace

void maxpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices) {
  const __m256i lane_offsets = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const size_t row_at = 2 * oy * g.w;
    const float* r0 = x + row_at;
    const float* r1 = r0 + g.w;
    float* o = out + oy * g.ow;
    int32_t* idx = indices + oy * g.ow;
    __m256 v00, v01, v10, v11;
    __m256i offset;
    if (g.ow < 8) {
      split_even_odd_first(r0, g.ow, &v00, &v01);
      split_even_odd_first(r1, g.ow, &v10, &v11);
      const __m256 best = max_of_windows(v00, v01, v10, v11, g.w, &offset);
      const __m256i base = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(row_at)), lane_offsets);
      _mm256_maskstore_ps(o, first_lanes(g.ow), best);
      _mm256_maskstore_epi32(idx, first_lanes(g.ow), _mm256_add_epi32(base, offset));
      continue;
    }
    for (size_t start = 0; start < g.ow; start += 8) {
      // The last block is shifted left to end at ow; it recomputes a few outputs.
      const size_t ox = std::min(start, g.ow - 8);
      split_even_odd(r0 + 2 * ox, &v00, &v01);
      split_even_odd(r1 + 2 * ox, &v10, &v11);
      const __m256 best = max_of_windows(v00, v01, v10, v11, g.w, &offset);
      const __m256i base = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(row_at + 2 * ox)), lane_offsets);
      _mm256_storeu_ps(o + ox, best);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(idx + ox), _mm256_add_epi32(base, offset));
    }
  }
}

void avgpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out) {
  const __m256 quarter = _mm256_set1_ps(0.25f);
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const float* r0 = x + 2 * oy * g.w;
    const float* r1 = r0 + g.w;
    float* o = out + oy * g.ow;
    if (g.ow < 8) {
      __m256 v00, v01, v10, v11;
      split_even_odd_first(r0, g.ow, &v00, &v01);
      split_even_odd_first(r1, g.ow, &v10, &v11);
      const __m256 sum = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(v00, v01), v10), v11);
      _mm256_maskstore_ps(o, first_lanes(g.ow), _mm256_mul_ps(sum, quarter));
      continue;
    }
    for (size_t start = 0; start < g.ow; start += 8) {
      const size_t ox = std::min(start, g.ow - 8);
      __m256 v00, v01, v10, v11;
      split_even_odd(r0 + 2 * ox, &v00, &v01);
      split_even_odd(r1 + 2 * ox, &v10, &v11);
      const __m256 sum = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(v00, v01), v10), v11);
      _mm256_storeu_ps(o + ox, _mm256_mul_ps(sum, quarter));
    }
  }
}

void avgpool_plane_backward_2x2(const Pool2dGeometry& g, const float* gy, float* gx) {
  const __m256 quarter = _mm256_set1_ps(0.25f);
  for (size_t oy = 0; oy < g.oh; ++oy) {
    float* r0 = gx + 2 * oy * g.w;
    float* r1 = r0 + g.w;
    const float* grow = gy + oy * g.ow;
    size_t ox = 0;
    for (; ox + 8 <= g.ow; ox += 8) {
      const __m256 share = _mm256_mul_ps(_mm256_loadu_ps(grow + ox), quarter);
      const __m256 lo = _mm256_unpacklo_ps(share, share), hi = _mm256_unpackhi_ps(share, share);
      const __m256 first = _mm256_permute2f128_ps(lo, hi, 0x20), second = _mm256_permute2f128_ps(lo, hi, 0x31);
      _mm256_storeu_ps(r0 + 2 * ox, first);
      _mm256_storeu_ps(r0 + 2 * ox + 8, second);
      _mm256_storeu_ps(r1 + 2 * ox, first);
      _mm256_storeu_ps(r1 + 2 * ox + 8, second);
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

}  // namespace dendrite::avx2
