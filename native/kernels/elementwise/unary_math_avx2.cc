// AVX2 kernels of the plain unary math ops and their derivatives; same
// definitions as unary_math_scalar.cc.
#include <immintrin.h>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"
#include "elementwise/op_dispatch.h"
#include "elementwise/unary_kernels.h"

namespace dendrite {
namespace {

// sign with sign(0) = 0 and sign(NaN) = NaN.
inline __m256 sign_of(__m256 x) {
  const __m256 zero = _mm256_setzero_ps();
  __m256 pos = _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_GT_OQ), _mm256_set1_ps(1.0f));
  __m256 neg = _mm256_and_ps(_mm256_cmp_ps(x, zero, _CMP_LT_OQ), _mm256_set1_ps(-1.0f));
  return _mm256_blendv_ps(_mm256_or_ps(pos, neg), x, simd::is_nan(x));
}

template <UnaryOp Op>
inline __m256 forward_one(__m256 x) {
  if constexpr (Op == UnaryOp::Neg) return _mm256_xor_ps(x, _mm256_set1_ps(-0.0f));
  if constexpr (Op == UnaryOp::Abs) return simd::abs(x);
  if constexpr (Op == UnaryOp::Exp) return vmath::exp(x);
  if constexpr (Op == UnaryOp::Log) return vmath::log(x);
  if constexpr (Op == UnaryOp::Sqrt) return _mm256_sqrt_ps(x);
  if constexpr (Op == UnaryOp::Sign) return sign_of(x);
  if constexpr (Op == UnaryOp::Square) return _mm256_mul_ps(x, x);
  if constexpr (Op == UnaryOp::Reciprocal) return _mm256_div_ps(_mm256_set1_ps(1.0f), x);
}

template <UnaryOp Op>
inline __m256 backward_one(__m256 x, __m256 y, __m256 gy) {
  if constexpr (Op == UnaryOp::Neg) return _mm256_xor_ps(gy, _mm256_set1_ps(-0.0f));
  if constexpr (Op == UnaryOp::Abs) return _mm256_mul_ps(gy, sign_of(x));
  if constexpr (Op == UnaryOp::Exp) return _mm256_mul_ps(gy, y);
  if constexpr (Op == UnaryOp::Log) return _mm256_div_ps(gy, x);
  if constexpr (Op == UnaryOp::Sqrt) return _mm256_div_ps(gy, _mm256_add_ps(y, y));
  if constexpr (Op == UnaryOp::Sign) return _mm256_setzero_ps();
  if constexpr (Op == UnaryOp::Square) return _mm256_mul_ps(gy, _mm256_add_ps(x, x));
  if constexpr (Op == UnaryOp::Reciprocal) {
    return _mm256_xor_ps(_mm256_mul_ps(gy, _mm256_mul_ps(y, y)), _mm256_set1_ps(-0.0f));
  }
}

template <UnaryOp Op>
void forward_span(const float* x, float* out, size_t n, float) {
  simd::map_span(x, out, n, [](__m256 v) { return forward_one<Op>(v); });
}

template <UnaryOp Op>
void backward_span(const float* x, const float* y, const float* gy, float* gx, size_t n, float) {
  simd::map_span3(x, y, gy, gx, n, [](__m256 a, __m256 b, __m256 g) { return backward_one<Op>(a, b, g); });
}

struct Entry {
  template <UnaryOp Op>
  UnarySpanKernels make() const {
    return {forward_span<Op>, backward_span<Op>};
  }
};

}  // namespace

UnarySpanKernels math_unary_kernels_avx2(UnaryOp op) {
  return select_math_unary(op, Entry{});
}

}  // namespace dendrite
