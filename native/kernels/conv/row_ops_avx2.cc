#include <immintrin.h>

#include <algorithm>

#include "conv/row_ops.h"

namespace dendrite::avx2 {

void add_constant(float* row, size_t n, float value) {
  const __m256 v = _mm256_set1_ps(value);
  size_t k = 0;
  for (; k + 8 <= n; k += 8) _mm256_storeu_ps(row + k, _mm256_add_ps(_mm256_loadu_ps(row + k), v));
  for (; k < n; ++k) row[k] += value;
}

namespace {
double horizontal_sum(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
  __m256d d = _mm256_add_pd(_mm256_cvtps_pd(lo), _mm256_cvtps_pd(hi));
  __m128d s = _mm_add_pd(_mm256_castpd256_pd128(d), _mm256_extractf128_pd(d, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}
}  // namespace

double sum_floats(const float* row, size_t n) {
  constexpr size_t kFlush = 512;
  double total = 0.0;
  size_t k = 0;
  while (k < n) {
    size_t end = std::min(n, k + kFlush);
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),
           a3 = _mm256_setzero_ps();
    for (; k + 32 <= end; k += 32) {
      a0 = _mm256_add_ps(a0, _mm256_loadu_ps(row + k));
      a1 = _mm256_add_ps(a1, _mm256_loadu_ps(row + k + 8));
      a2 = _mm256_add_ps(a2, _mm256_loadu_ps(row + k + 16));
      a3 = _mm256_add_ps(a3, _mm256_loadu_ps(row + k + 24));
    }
    for (; k + 8 <= end; k += 8) a0 = _mm256_add_ps(a0, _mm256_loadu_ps(row + k));
    double tail = 0.0;
    for (; k < end; ++k) tail += row[k];
    total += horizontal_sum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3))) + tail;
  }
  return total;
}

}  // namespace dendrite::avx2
