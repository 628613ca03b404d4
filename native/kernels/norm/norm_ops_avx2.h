// The AVX2+FMA vector operations the normalization kernels are written in
// (norm_templates.h): 8 floats, widened to two vectors of 4 doubles for sums.
// Include from *_avx2.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "activation/vector_math_avx2.h"
#include "cpu/vec_avx2.h"
#include "elementwise/simd_avx2.h"

namespace dendrite::norm {

// Internal linkage, as the basic operations it extends (cpu/vec_avx2.h).
namespace {

struct Avx2Ops : cpu::Avx2Vec {
  struct Wide {
    __m256d lo, hi;
  };

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

}  // namespace
}  // namespace dendrite::norm
