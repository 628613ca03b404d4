// AVX2 softmax row kernels: max pass, exp-store-and-sum pass, scale pass (the
// XNNPACK scheme), with partial vectors at the row end through masked loads.
#include <immintrin.h>

#include <cmath>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"
#include "softmax/softmax_kernels.h"

namespace dendrite {
namespace {

float row_max(const float* x, size_t n) {
  const __m256 neg_inf = _mm256_set1_ps(-INFINITY);
  __m256 m0 = neg_inf, m1 = neg_inf, m2 = neg_inf, m3 = neg_inf;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
    m1 = _mm256_max_ps(m1, _mm256_loadu_ps(x + i + 8));
    m2 = _mm256_max_ps(m2, _mm256_loadu_ps(x + i + 16));
    m3 = _mm256_max_ps(m3, _mm256_loadu_ps(x + i + 24));
  }
  for (; i + 8 <= n; i += 8) m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
  if (i < n) m1 = _mm256_max_ps(m1, simd::load_tail(x + i, n - i, neg_inf));
  return simd::horizontal_max(_mm256_max_ps(_mm256_max_ps(m0, m1), _mm256_max_ps(m2, m3)));
}

// Σ exp(x[i] - m), storing each term in out when Store. Lanes accumulate in
// float over blocks of kSumBlock elements, blocks in double, so long rows do
// not drift.
constexpr size_t kSumBlock = 1024;

template <bool Store>
float exp_shifted(const float* x, size_t n, float m, float* out) {
  const __m256 mv = _mm256_set1_ps(m);
  double total = 0.0;
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kSumBlock < n ? i + kSumBlock : n;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    for (; i + 16 <= end; i += 16) {
      __m256 e0 = vmath::exp(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
      __m256 e1 = vmath::exp(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), mv));
      if (Store) _mm256_storeu_ps(out + i, e0), _mm256_storeu_ps(out + i + 8, e1);
      s0 = _mm256_add_ps(s0, e0);
      s1 = _mm256_add_ps(s1, e1);
    }
    for (; i + 8 <= end; i += 8) {
      __m256 e = vmath::exp(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
      if (Store) _mm256_storeu_ps(out + i, e);
      s0 = _mm256_add_ps(s0, e);
    }
    if (i < end) {
      // Missing lanes read as -inf, whose exp is 0.
      __m256 e = vmath::exp(_mm256_sub_ps(simd::load_tail(x + i, end - i, _mm256_set1_ps(-INFINITY)), mv));
      if (Store) simd::store_tail(out + i, end - i, e);
      s1 = _mm256_add_ps(s1, e);
      i = end;
    }
    total += simd::horizontal_sum(_mm256_add_ps(s0, s1));
  }
  return static_cast<float>(total);
}

void scale_in_place(float* out, size_t n, float scale) {
  const __m256 s = _mm256_set1_ps(scale);
  simd::map_span(out, out, n, [s](__m256 v) { return _mm256_mul_ps(v, s); });
}

void softmax_row(const float* x, size_t n, float* out) {
  float sum = exp_shifted<true>(x, n, row_max(x, n), out);
  scale_in_place(out, n, 1.0f / sum);
}

void log_softmax_row(const float* x, size_t n, float* out) {
  float m = row_max(x, n);
  float log_sum = std::log(exp_shifted<false>(x, n, m, nullptr));
  const __m256 mv = _mm256_set1_ps(m), lv = _mm256_set1_ps(log_sum);
  simd::map_span(x, out, n, [=](__m256 v) { return _mm256_sub_ps(_mm256_sub_ps(v, mv), lv); });
}

// Σ a[i]·b[i] (b = nullptr: Σ a[i]), blocked like exp_shifted.
float dot(const float* a, const float* b, size_t n) {
  const __m256 one = _mm256_set1_ps(1.0f);
  double total = 0.0;
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kSumBlock < n ? i + kSumBlock : n;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    for (; i + 16 <= end; i += 16) {
      s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b ? _mm256_loadu_ps(b + i) : one, s0);
      s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), b ? _mm256_loadu_ps(b + i + 8) : one, s1);
    }
    for (; i + 8 <= end; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b ? _mm256_loadu_ps(b + i) : one, s0);
    if (i < end) {
      s1 = _mm256_fmadd_ps(simd::load_tail(a + i, end - i), b ? simd::load_tail(b + i, end - i) : one, s1);
      i = end;
    }
    total += simd::horizontal_sum(_mm256_add_ps(s0, s1));
  }
  return static_cast<float>(total);
}

void softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  const __m256 d = _mm256_set1_ps(dot(gy, y, n));
  // gx = y·(gy - d): map over y with gy read alongside.
  simd::map_span3(y, gy, gy, gx, n, [d](__m256 yv, __m256 g, __m256) { return _mm256_mul_ps(yv, _mm256_sub_ps(g, d)); });
}

void log_softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  const __m256 s = _mm256_set1_ps(dot(gy, nullptr, n));
  simd::map_span3(y, gy, gy, gx, n, [s](__m256 yv, __m256 g, __m256) {
    return _mm256_fnmadd_ps(vmath::exp(yv), s, g);
  });
}

double cross_entropy_row(const float* x, size_t n, int32_t label, float* grad) {
  const double picked = x[label];  // read before grad (which may be x) is written
  float m = row_max(x, n);
  float sum = exp_shifted<true>(x, n, m, grad);
  scale_in_place(grad, n, 1.0f / sum);
  grad[label] -= 1.0f;
  return std::log(static_cast<double>(sum)) - (picked - m);
}

}  // namespace

const SoftmaxKernels& softmax_kernels_avx2() {
  static const SoftmaxKernels k{softmax_row, log_softmax_row, softmax_backward_row, log_softmax_backward_row,
                                cross_entropy_row};
  return k;
}

}  // namespace dendrite
