// AVX2 reduction kernels; same definitions as reduce_scalar.cc.
#include <immintrin.h>

#include <cmath>

#include "elementwise/simd_avx2.h"
#include "reduce/reduce_kernels.h"

namespace dendrite {
namespace {

constexpr size_t kRowBlock = 1024;
constexpr size_t kColumnBlock = 64;

float sum_row(const float* x, size_t n) {
  __m256 total = _mm256_setzero_ps();
  size_t i = 0;
  while (i < n) {
    size_t end = i + kRowBlock < n ? i + kRowBlock : n;
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (; i + 32 <= end; i += 32) {
      a0 = _mm256_add_ps(a0, _mm256_loadu_ps(x + i));
      a1 = _mm256_add_ps(a1, _mm256_loadu_ps(x + i + 8));
      a2 = _mm256_add_ps(a2, _mm256_loadu_ps(x + i + 16));
      a3 = _mm256_add_ps(a3, _mm256_loadu_ps(x + i + 24));
    }
    for (; i + 8 <= end; i += 8) a0 = _mm256_add_ps(a0, _mm256_loadu_ps(x + i));
    if (i < end) {
      a1 = _mm256_add_ps(a1, simd::load_tail(x + i, end - i, _mm256_setzero_ps()));
      i = end;
    }
    total = _mm256_add_ps(total, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  }
  return simd::horizontal_sum(total);
}

// Column sums of `vectors` 8-wide columns at once (the last one `last_width` wide).
template <int Vectors>
void sum_column_group(const float* x, size_t len, size_t stride, size_t last_width, float* out) {
  __m256 total[Vectors], block[Vectors];
  for (int v = 0; v < Vectors; ++v) total[v] = _mm256_setzero_ps();
  auto load = [&](const float* p, int v) {
    return (v == Vectors - 1 && last_width < 8) ? simd::load_tail(p + 8 * v, last_width, _mm256_setzero_ps())
                                                : _mm256_loadu_ps(p + 8 * v);
  };
  for (size_t b = 0; b < len; b += kColumnBlock) {
    size_t end = b + kColumnBlock < len ? b + kColumnBlock : len;
    for (int v = 0; v < Vectors; ++v) block[v] = _mm256_setzero_ps();
    for (size_t l = b; l < end; ++l) {
      const float* row = x + l * stride;
      for (int v = 0; v < Vectors; ++v) block[v] = _mm256_add_ps(block[v], load(row, v));
    }
    for (int v = 0; v < Vectors; ++v) total[v] = _mm256_add_ps(total[v], block[v]);
  }
  for (int v = 0; v < Vectors; ++v) {
    if (v == Vectors - 1 && last_width < 8) simd::store_tail(out + 8 * v, last_width, total[v]);
    else _mm256_storeu_ps(out + 8 * v, total[v]);
  }
}

void sum_columns(const float* x, size_t len, size_t stride, size_t width, float* out) {
  if (width == 32) return sum_column_group<4>(x, len, stride, 8, out);
  for (size_t j = 0; j < width; j += 8) {
    size_t w = width - j < 8 ? width - j : 8;
    sum_column_group<1>(x + j, len, stride, w, out + j);
  }
}

// Lanes where v should replace best: greater, or the first NaN.
inline __m256 improves(__m256 v, __m256 best) {
  __m256 greater = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
  return _mm256_or_ps(greater, _mm256_andnot_ps(simd::is_nan(best), simd::is_nan(v)));
}

void max_row(const float* x, size_t n, float* out, int32_t* index) {
  const __m256 neg_inf = _mm256_set1_ps(-INFINITY);
  __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  // Lanes past n hold -inf with indices >= n, so they never win a tie.
  __m256 best = n >= 8 ? _mm256_loadu_ps(x) : simd::load_tail(x, n, neg_inf);
  __m256i at = lane;
  size_t i = 8;
  for (; i < n; i += 8) {
    __m256 v = i + 8 <= n ? _mm256_loadu_ps(x + i) : simd::load_tail(x + i, n - i, neg_inf);
    __m256 take = improves(v, best);
    best = _mm256_blendv_ps(best, v, take);
    __m256i pos = _mm256_add_epi32(lane, _mm256_set1_epi32(static_cast<int32_t>(i)));
    at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(at), _mm256_castsi256_ps(pos), take));
  }
  alignas(32) float values[8];
  alignas(32) int32_t positions[8];
  _mm256_store_ps(values, best);
  _mm256_store_si256(reinterpret_cast<__m256i*>(positions), at);
  // Across lanes: NaN beats numbers, larger beats smaller, ties go to the lower index.
  float v = values[0];
  int32_t p = positions[0];
  for (int k = 1; k < 8; ++k) {
    float w = values[k];
    bool v_nan = v != v, w_nan = w != w;
    bool better = v_nan ? (w_nan && positions[k] < p)
                        : (w_nan || w > v || (w == v && positions[k] < p));
    if (better) v = w, p = positions[k];
  }
  *out = v;
  *index = p;
}

template <int Vectors>
void max_column_group(const float* x, size_t len, size_t stride, size_t last_width, float* out, int32_t* index) {
  __m256 best[Vectors];
  __m256 at[Vectors];  // indices kept as floats: exact below 2^24 rows, see max_columns
  auto load = [&](const float* p, int v) {
    return (v == Vectors - 1 && last_width < 8) ? simd::load_tail(p + 8 * v, last_width) : _mm256_loadu_ps(p + 8 * v);
  };
  for (int v = 0; v < Vectors; ++v) best[v] = load(x, v), at[v] = _mm256_setzero_ps();
  for (size_t l = 1; l < len; ++l) {
    const float* row = x + l * stride;
    const __m256 pos = _mm256_set1_ps(static_cast<float>(l));
    for (int v = 0; v < Vectors; ++v) {
      __m256 value = load(row, v);
      __m256 take = improves(value, best[v]);
      best[v] = _mm256_blendv_ps(best[v], value, take);
      at[v] = _mm256_blendv_ps(at[v], pos, take);
    }
  }
  for (int v = 0; v < Vectors; ++v) {
    __m256i ai = _mm256_cvtps_epi32(at[v]);
    if (v == Vectors - 1 && last_width < 8) {
      simd::store_tail(out + 8 * v, last_width, best[v]);
      simd::store_tail(reinterpret_cast<float*>(index + 8 * v), last_width, _mm256_castsi256_ps(ai));
    } else {
      _mm256_storeu_ps(out + 8 * v, best[v]);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(index + 8 * v), ai);
    }
  }
}

void max_columns(const float* x, size_t len, size_t stride, size_t width, float* out, int32_t* index) {
  // Float indices are exact only up to 2^24; longer axes take the portable loop's shape here.
  if (len > (size_t{1} << 24)) {
    for (size_t j = 0; j < width; ++j) {
      float best = x[j];
      size_t at = 0;
      for (size_t l = 1; l < len && best == best; ++l) {
        float v = x[l * stride + j];
        if (v > best || v != v) best = v, at = l;
      }
      out[j] = best;
      index[j] = static_cast<int32_t>(at);
    }
    return;
  }
  if (width == 32) return max_column_group<4>(x, len, stride, 8, out, index);
  for (size_t j = 0; j < width; j += 8) {
    size_t w = width - j < 8 ? width - j : 8;
    max_column_group<1>(x + j, len, stride, w, out + j, index + j);
  }
}

double sum_double(const float* x, size_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
    a0 = _mm256_add_pd(a0, _mm256_cvtps_pd(_mm256_castps256_ps128(v0)));
    a1 = _mm256_add_pd(a1, _mm256_cvtps_pd(_mm256_extractf128_ps(v0, 1)));
    a2 = _mm256_add_pd(a2, _mm256_cvtps_pd(_mm256_castps256_ps128(v1)));
    a3 = _mm256_add_pd(a3, _mm256_cvtps_pd(_mm256_extractf128_ps(v1, 1)));
  }
  for (; i + 8 <= n; i += 8) a0 = simd::add_widened(a0, _mm256_loadu_ps(x + i));
  if (i < n) a1 = simd::add_widened(a1, simd::load_tail(x + i, n - i, _mm256_setzero_ps()));
  return simd::horizontal_sum(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
}

inline __m256d add_squares(__m256d acc, __m128 half) {
  __m256d d = _mm256_cvtps_pd(half);
  return _mm256_fmadd_pd(d, d, acc);
}

double sum_squares_double(const float* x, size_t n) {
  __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
    a0 = add_squares(a0, _mm256_castps256_ps128(v0));
    a1 = add_squares(a1, _mm256_extractf128_ps(v0, 1));
    a2 = add_squares(a2, _mm256_castps256_ps128(v1));
    a3 = add_squares(a3, _mm256_extractf128_ps(v1, 1));
  }
  for (; i < n; i += 8) {
    __m256 v = i + 8 <= n ? _mm256_loadu_ps(x + i) : simd::load_tail(x + i, n - i, _mm256_setzero_ps());
    a0 = add_squares(a0, _mm256_castps256_ps128(v));
    a1 = add_squares(a1, _mm256_extractf128_ps(v, 1));
  }
  return simd::horizontal_sum(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
}

}  // namespace

const ReduceKernels& reduce_kernels_avx2() {
  static const ReduceKernels k{sum_row, sum_columns, max_row, max_columns, sum_double, sum_squares_double};
  return k;
}

}  // namespace dendrite
