// AVX2 optimizer update spans: optim_vector.h over eight-lane AVX2 vectors.
#include <immintrin.h>

#include "elementwise/simd_avx2.h"
#include "optim/optim_vector.h"

namespace dendrite {
namespace {

struct OptimAvx2 : simd::Avx2Ops {
  static __m256 abs(__m256 a) { return simd::abs(a); }
  static __m256 fnma(__m256 a, __m256 b, __m256 c) { return _mm256_fnmadd_ps(a, b, c); }
  static __m256 sign(__m256 w) {
    const __m256 zero = _mm256_setzero_ps();
    return _mm256_or_ps(_mm256_and_ps(_mm256_cmp_ps(w, zero, _CMP_GT_OQ), _mm256_set1_ps(1.0f)),
                        _mm256_and_ps(_mm256_cmp_ps(w, zero, _CMP_LT_OQ), _mm256_set1_ps(-1.0f)));
  }
  using Wide = __m256d;
  static __m256d wide_zero() { return _mm256_setzero_pd(); }
  static __m256d add_widened(__m256d acc, __m256 v) { return simd::add_widened(acc, v); }
  static __m256d add_squares_widened(__m256d acc, __m256 v) {
    const __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(v)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
    return _mm256_fmadd_pd(lo, lo, _mm256_fmadd_pd(hi, hi, acc));
  }
  static double wide_sum(__m256d acc) { return simd::horizontal_sum(acc); }
};

}  // namespace

const OptimKernels& optim_kernels_avx2() { return optim_vector::table<OptimAvx2>(); }

}  // namespace dendrite
