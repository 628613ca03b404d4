// The AVX-512 vector operations the normalization kernels are written in
// (norm_templates.h): 16 floats, widened to two vectors of 8 doubles for
// sums; tails through masked loads and stores. Include from *_avx512.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "elementwise/simd_avx2.h"
#include "cpu/vec_avx512.h"

namespace dendrite::norm {

// Internal linkage, as the basic operations it extends (cpu/vec_avx512.h).
namespace {

struct Avx512Ops : cpu::Avx512Vec {
  struct Wide {
    __m512d lo, hi;
  };

  static Wide wide_zero() { return {_mm512_setzero_pd(), _mm512_setzero_pd()}; }
  // Zero-masked forms throughout: the plain ones (and the casts, built on them) start from an
  // "undefined" vector that GCC 12 warns about.
  static Wide widen(Vec v) {
    return {_mm512_maskz_cvtps_pd(0xFF, _mm512_maskz_extractf32x8_ps(0xFF, v, 0)),
            _mm512_maskz_cvtps_pd(0xFF, _mm512_maskz_extractf32x8_ps(0xFF, v, 1))};
  }
  static Wide wide_add(Wide a, Wide b) { return {_mm512_add_pd(a.lo, b.lo), _mm512_add_pd(a.hi, b.hi)}; }
  static Wide wide_sub(Wide a, Wide b) { return {_mm512_sub_pd(a.lo, b.lo), _mm512_sub_pd(a.hi, b.hi)}; }
  static Wide wide_fma(Wide a, Wide b, Wide c) {
    return {_mm512_fmadd_pd(a.lo, b.lo, c.lo), _mm512_fmadd_pd(a.hi, b.hi, c.hi)};
  }
  static double wide_sum(Wide w) {
    const __m512d s = _mm512_add_pd(w.lo, w.hi);
    return simd::horizontal_sum(_mm256_add_pd(_mm512_maskz_extractf64x4_pd(0xF, s, 0), _mm512_maskz_extractf64x4_pd(0xF, s, 1)));
  }
  static Wide wide_load(const double* p) { return {_mm512_loadu_pd(p), _mm512_loadu_pd(p + 8)}; }
  static void wide_store(double* p, Wide w) {
    _mm512_storeu_pd(p, w.lo);
    _mm512_storeu_pd(p + 8, w.hi);
  }
};

}  // namespace
}  // namespace dendrite::norm
