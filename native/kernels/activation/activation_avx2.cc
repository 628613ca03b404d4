// AVX2 activation kernels, forward and backward; same definitions as
// activation_scalar.cc, with the vectorised functions of vector_math_avx2.h.
#include <immintrin.h>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"
#include "elementwise/op_dispatch.h"
#include "elementwise/unary_kernels.h"

namespace dendrite {
namespace {

inline __m256 positive(__m256 x) { return _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ); }

inline __m256 softplus(__m256 x) {
  __m256 e = vmath::exp(_mm256_xor_ps(simd::abs(x), _mm256_set1_ps(-0.0f)));
  // max(0, x) with x second so NaN propagates.
  return _mm256_add_ps(_mm256_max_ps(_mm256_setzero_ps(), x), vmath::log1p_nonnegative(e));
}

template <UnaryOp Op>
inline __m256 forward_one(__m256 x, __m256 p) {
  if constexpr (Op == UnaryOp::Relu) {
    return _mm256_blendv_ps(x, _mm256_setzero_ps(), _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LE_OQ));
  }
  if constexpr (Op == UnaryOp::Sigmoid) return vmath::sigmoid(x);
  if constexpr (Op == UnaryOp::Tanh) return vmath::tanh(x);
  if constexpr (Op == UnaryOp::LeakyRelu) return _mm256_blendv_ps(_mm256_mul_ps(x, p), x, positive(x));
  if constexpr (Op == UnaryOp::Elu) return _mm256_blendv_ps(_mm256_mul_ps(p, vmath::expm1(x)), x, positive(x));
  if constexpr (Op == UnaryOp::Gelu) return _mm256_mul_ps(x, vmath::normal_cdf(x));
  if constexpr (Op == UnaryOp::Silu) return _mm256_mul_ps(x, vmath::sigmoid(x));
  if constexpr (Op == UnaryOp::Softplus) return softplus(x);
}

template <UnaryOp Op>
inline __m256 backward_one(__m256 x, __m256 y, __m256 gy, __m256 p) {
  const __m256 one = _mm256_set1_ps(1.0f);
  if constexpr (Op == UnaryOp::Relu) return _mm256_and_ps(gy, positive(x));
  if constexpr (Op == UnaryOp::Sigmoid) return _mm256_mul_ps(gy, _mm256_mul_ps(y, _mm256_sub_ps(one, y)));
  if constexpr (Op == UnaryOp::Tanh) return _mm256_mul_ps(gy, _mm256_fnmadd_ps(y, y, one));
  if constexpr (Op == UnaryOp::LeakyRelu) return _mm256_blendv_ps(_mm256_mul_ps(gy, p), gy, positive(x));
  if constexpr (Op == UnaryOp::Elu) {
    return _mm256_blendv_ps(_mm256_mul_ps(gy, _mm256_mul_ps(p, vmath::exp(x))), gy, positive(x));
  }
  if constexpr (Op == UnaryOp::Gelu) {
    return _mm256_mul_ps(gy, _mm256_fmadd_ps(x, vmath::normal_pdf(x), vmath::normal_cdf(x)));
  }
  if constexpr (Op == UnaryOp::Silu) {
    __m256 s = vmath::sigmoid(x);
    return _mm256_mul_ps(gy, _mm256_mul_ps(s, _mm256_fmadd_ps(x, _mm256_sub_ps(one, s), one)));
  }
  if constexpr (Op == UnaryOp::Softplus) return _mm256_mul_ps(gy, vmath::sigmoid(x));
}

template <UnaryOp Op>
void forward_span(const float* x, float* out, size_t n, float param) {
  const __m256 p = _mm256_set1_ps(param);
  simd::map_span(x, out, n, [p](__m256 v) { return forward_one<Op>(v, p); });
}

template <UnaryOp Op>
void backward_span(const float* x, const float* y, const float* gy, float* gx, size_t n, float param) {
  const __m256 p = _mm256_set1_ps(param);
  simd::map_span3(x, y, gy, gx, n, [p](__m256 a, __m256 b, __m256 g) { return backward_one<Op>(a, b, g, p); });
}

struct Entry {
  template <UnaryOp Op>
  UnarySpanKernels make() const {
    return {forward_span<Op>, backward_span<Op>};
  }
};

}  // namespace

UnarySpanKernels activation_kernels_avx2(UnaryOp op) {
  return select_activation(op, Entry{});
}

}  // namespace dendrite
