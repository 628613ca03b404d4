// AVX2 kernels of the plain unary math ops and their derivatives; same
// definitions as unary_math_scalar.cc.
#include <immintrin.h>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

// sign with sign(0) = 0 and sign(NaN) = NaN.
inline __m256 sign_of(__m256 x) {
  const __m256 zero = _mm256_setzero_ps();
  __m256 pos = _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_GT_OQ), _mm256_set1_ps(1.0f));
  __m256 neg = _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_LT_OQ), _mm256_set1_ps(-1.0f));
  return _mm256_blendv_ps(_mm256_or_ps(pos, neg), x, simd::is_nan(x));
}

// Each op's value and derivative (times gy) on a vector; vector_kernels.h runs them over spans.
struct Math {
  template <UnaryOp Op>
  static __m256 forward(__m256 x, __m256) {
    if constexpr (Op == UnaryOp::Neg) return _mm256_xor_ps(x, _mm256_set1_ps(-0.0f));
    else if constexpr (Op == UnaryOp::Abs) return simd::abs(x);
    else if constexpr (Op == UnaryOp::Exp) return vmath::exp(x);
    else if constexpr (Op == UnaryOp::Log) return vmath::log(x);
    else if constexpr (Op == UnaryOp::Sqrt) return _mm256_sqrt_ps(x);
    else if constexpr (Op == UnaryOp::Sign) return sign_of(x);
    else if constexpr (Op == UnaryOp::Square) return _mm256_mul_ps(x, x);
    else if constexpr (Op == UnaryOp::Reciprocal) return _mm256_div_ps(_mm256_set1_ps(1.0f), x);
    else static_assert(kNoKernelFor<Op>, "unary_math_avx2.cc: a Math op of ops.h has no forward here");
  }

  template <UnaryOp Op>
  static __m256 backward(__m256 x, __m256 y, __m256 gy, __m256) {
    if constexpr (Op == UnaryOp::Neg) return _mm256_xor_ps(gy, _mm256_set1_ps(-0.0f));
    else if constexpr (Op == UnaryOp::Abs) return _mm256_mul_ps(gy, sign_of(x));
    else if constexpr (Op == UnaryOp::Exp) return _mm256_mul_ps(gy, y);
    else if constexpr (Op == UnaryOp::Log) return _mm256_div_ps(gy, x);
    else if constexpr (Op == UnaryOp::Sqrt) return _mm256_div_ps(gy, _mm256_add_ps(y, y));
    else if constexpr (Op == UnaryOp::Sign) return _mm256_setzero_ps();
    else if constexpr (Op == UnaryOp::Square) return _mm256_mul_ps(gy, _mm256_add_ps(x, x));
    else if constexpr (Op == UnaryOp::Reciprocal) {
      return _mm256_xor_ps(_mm256_mul_ps(gy, _mm256_mul_ps(y, y)), _mm256_set1_ps(-0.0f));
    } else {
      static_assert(kNoKernelFor<Op>, "unary_math_avx2.cc: a Math op of ops.h has no backward here");
    }
  }
};

}  // namespace

UnarySpanKernels math_unary_kernels_avx2(UnaryOp op) {
  return select_unary<UnaryHome::Math>(op, vector_kernels::UnaryEntry<simd::Avx2Ops, Math>{});
}

}  // namespace dendrite
