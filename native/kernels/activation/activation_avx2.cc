// AVX2 activation kernels, forward and backward; same definitions as
// activation_scalar.cc, with the vectorised functions of vector_math_avx2.h.
#include <immintrin.h>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

inline __m256 positive(__m256 x) { return _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ); }

inline __m256 softplus(__m256 x) {
  __m256 e = vmath::exp(_mm256_xor_ps(simd::abs(x), _mm256_set1_ps(-0.0f)));
  // max(0, x) with x second so NaN propagates.
  return _mm256_add_ps(_mm256_max_ps(_mm256_setzero_ps(), x), vmath::log1p_nonnegative(e));
}

// Each op's value and derivative (times gy) on a vector; vector_kernels.h runs them over spans.
struct Math {
  template <UnaryOp Op>
  static __m256 forward(__m256 x, __m256 p) {
    if constexpr (Op == UnaryOp::Relu) {
      return _mm256_blendv_ps(x, _mm256_setzero_ps(), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OQ));
    } else if constexpr (Op == UnaryOp::Sigmoid) {
      return vmath::sigmoid(x);
    } else if constexpr (Op == UnaryOp::Tanh) {
      return vmath::tanh(x);
    } else if constexpr (Op == UnaryOp::LeakyRelu) {
      return _mm256_blendv_ps(_mm256_mul_ps(x, p), x, positive(x));
    } else if constexpr (Op == UnaryOp::Elu) {
      return _mm256_blendv_ps(_mm256_mul_ps(p, vmath::expm1(x)), x, positive(x));
    } else if constexpr (Op == UnaryOp::Gelu) {
      return _mm256_mul_ps(x, vmath::normal_cdf(x));
    } else if constexpr (Op == UnaryOp::Silu) {
      return _mm256_mul_ps(x, vmath::sigmoid(x));
    } else if constexpr (Op == UnaryOp::Softplus) {
      return softplus(x);
    } else {
      static_assert(kNoKernelFor<Op>, "activation_avx2.cc: an Activation op of ops.h has no forward here");
    }
  }

  template <UnaryOp Op>
  static __m256 backward(__m256 x, __m256 y, __m256 gy, __m256 p) {
    const __m256 one = _mm256_set1_ps(1.0f);
    if constexpr (Op == UnaryOp::Relu) {
      return _mm256_and_ps(gy, positive(x));
    } else if constexpr (Op == UnaryOp::Sigmoid) {
      return _mm256_mul_ps(gy, _mm256_mul_ps(y, _mm256_sub_ps(one, y)));
    } else if constexpr (Op == UnaryOp::Tanh) {
      return _mm256_mul_ps(gy, _mm256_fnmadd_ps(y, y, one));
    } else if constexpr (Op == UnaryOp::LeakyRelu) {
      return _mm256_blendv_ps(_mm256_mul_ps(gy, p), gy, positive(x));
    } else if constexpr (Op == UnaryOp::Elu) {
      return _mm256_blendv_ps(_mm256_mul_ps(gy, _mm256_mul_ps(p, vmath::exp(x))), gy, positive(x));
    } else if constexpr (Op == UnaryOp::Gelu) {
      return _mm256_mul_ps(gy, _mm256_fmadd_ps(x, vmath::normal_pdf(x), vmath::normal_cdf(x)));
    } else if constexpr (Op == UnaryOp::Silu) {
      __m256 s = vmath::sigmoid(x);
      return _mm256_mul_ps(gy, _mm256_mul_ps(s, _mm256_fmadd_ps(x, _mm256_sub_ps(one, s), one)));
    } else if constexpr (Op == UnaryOp::Softplus) {
      return _mm256_mul_ps(gy, vmath::sigmoid(x));
    } else {
      static_assert(kNoKernelFor<Op>, "activation_avx2.cc: an Activation op of ops.h has no backward here");
    }
  }
};

}  // namespace

UnarySpanKernels activation_kernels_avx2(UnaryOp op) {
  return select_unary<UnaryHome::Activation>(op, vector_kernels::UnaryEntry<simd::Avx2Ops, Math>{});
}

}  // namespace dendrite
