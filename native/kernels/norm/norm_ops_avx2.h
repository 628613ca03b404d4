// The AVX2+FMA vector operations the normalization kernels are written in
// (norm_templates.h): 8 floats, widened to two vectors of 4 doubles for sums.
// Include from *_avx2.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"

namespace dendrite::norm {

struct Avx2Ops {
  static constexpr size_t kLanes = 8;
  using Vec = __m256;
  struct Wide {
    __m256d lo, hi;
  };

  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec broadcast(float s) { return _mm256_set1_ps(s); }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static Vec load_first(const float* p, size_t count, Vec fill) { return simd::load_upto8(p, count, fill); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static void store_first(float* p, Vec v, size_t count) { simd::store_upto8(p, count, v); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm256_div_ps(a, b); }
  static Vec sqrt(Vec a) { return _mm256_sqrt_ps(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  // exp(exponent·log(base)): relative error about 1e-6·(1 + |exponent·log(base)|).
  static Vec pow(Vec base, float exponent) { return vmath::exp(_mm256_mul_ps(vmath::log(base), broadcast(exponent))); }

  static Wide wide_zero() { return {_mm256_setzero_pd(), _mm256_setzero_pd()}; }
  static Wide widen(Vec v) {
    return {_mm256_cvtps_pd(_mm256_castps256_ps128(v)), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))};
  }
  static Wide wide_add(Wide a, Wide b) { return {_mm256_add_pd(a.lo, b.lo), _mm256_add_pd(a.hi, b.hi)}; }
  static Wide wide_sub(Wide a, Wide b) { return {_mm256_sub_pd(a.lo, b.lo), _mm256_sub_pd(a.hi, b.hi)}; }
  static Wide wide_fma(Wide a, Wide b, Wide c) {
    return {_mm256_fmadd_pd(a.lo, b.lo, c.lo), _mm256_fmadd_pd(a.hi, b.hi, c.hi)};
  }
  static double wide_sum(Wide w) { return simd::horizontal_sum(_mm256_add_pd(w.lo, w.hi)); }
  static Wide wide_load(const double* p) { return {_mm256_loadu_pd(p), _mm256_loadu_pd(p + 4)}; }
  static void wide_store(double* p, Wide w) {
    _mm256_storeu_pd(p, w.lo);
    _mm256_storeu_pd(p + 4, w.hi);
  }
};

}  // namespace dendrite::norm
