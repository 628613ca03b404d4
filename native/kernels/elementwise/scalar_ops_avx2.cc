// AVX2 kernels of scalar_ops.h; same definitions as scalar_ops_scalar.cc. The
// span loops are vector_kernels.h's; this file holds the math.
#include <immintrin.h>

#include <cmath>

#include "elementwise/simd_avx2.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

// r, or x + s (NaN) where either operand is NaN: max/min drop NaN.
inline __m256 nan_propagating(__m256 r, __m256 x, __m256 s) {
  return _mm256_blendv_ps(r, _mm256_add_ps(x, s), _mm256_cmp_ps(x, s, _CMP_UNORD_Q));
}

struct Math {
  template <ScalarOp Op>
  static __m256 apply(__m256 x, __m256 s) {
    if constexpr (Op == ScalarOp::Add) return _mm256_add_ps(x, s);
    else if constexpr (Op == ScalarOp::Mul) return _mm256_mul_ps(x, s);
    else if constexpr (Op == ScalarOp::RSub) return _mm256_sub_ps(s, x);
    else if constexpr (Op == ScalarOp::RDiv) return _mm256_div_ps(s, x);
    else if constexpr (Op == ScalarOp::Maximum) return nan_propagating(_mm256_max_ps(x, s), x, s);
    else if constexpr (Op == ScalarOp::Minimum) return nan_propagating(_mm256_min_ps(x, s), x, s);
    else static_assert(kNoKernelFor<Op>, "scalar_ops_avx2.cc: a scalar op of ops.h has no math here");
  }

  static __m256 square(__m256 x) { return _mm256_mul_ps(x, x); }

  static __m256 pow_half(__m256 x) {
    // + 0 turns sqrt(-0) = -0 into pow's +0; pow(-inf, 0.5) is +inf.
    __m256 r = _mm256_add_ps(_mm256_sqrt_ps(x), _mm256_setzero_ps());
    return _mm256_blendv_ps(r, _mm256_set1_ps(HUGE_VALF), _mm256_cmp_ps(x, _mm256_set1_ps(-HUGE_VALF), _CMP_EQ_OQ));
  }

  static __m256 clamp(__m256 x, __m256 lo, __m256 hi) {
    // max/min return their second operand for NaN, so x last keeps NaN.
    __m256 r = _mm256_min_ps(hi, _mm256_max_ps(lo, x));
    return _mm256_blendv_ps(r, x, simd::is_nan(x));
  }
};

}  // namespace

const ScalarOpKernels& scalar_op_kernels_avx2() { return vector_kernels::scalar_op_kernels<simd::Avx2Ops, Math>(); }

}  // namespace dendrite
