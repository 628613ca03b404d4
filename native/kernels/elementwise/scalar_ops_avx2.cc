// AVX2 kernels of scalar_ops.h; same definitions as scalar_ops_scalar.cc.
#include <immintrin.h>

#include "elementwise/scalar_math.h"
#include "elementwise/scalar_ops_kernels.h"
#include "elementwise/simd_avx2.h"

namespace dendrite {
namespace {

using elementwise_detail::apply_scalar;

inline __m256 nan_propagating(__m256 r, __m256 x, __m256 s) {
  return _mm256_blendv_ps(r, _mm256_add_ps(x, s), _mm256_cmp_ps(x, s, _CMP_UNORD_Q));
}

template <ScalarOp Op>
inline __m256 apply(__m256 x, __m256 s) {
  if constexpr (Op == ScalarOp::Add) return _mm256_add_ps(x, s);
  if constexpr (Op == ScalarOp::Mul) return _mm256_mul_ps(x, s);
  if constexpr (Op == ScalarOp::RSub) return _mm256_sub_ps(s, x);
  if constexpr (Op == ScalarOp::RDiv) return _mm256_div_ps(s, x);
  if constexpr (Op == ScalarOp::Maximum) return nan_propagating(_mm256_max_ps(x, s), x, s);
  if constexpr (Op == ScalarOp::Minimum) return nan_propagating(_mm256_min_ps(x, s), x, s);
}

template <ScalarOp Op>
void apply_span(const float* x, float s, float* out, size_t n) {
  const __m256 sv = _mm256_set1_ps(s);
  simd::map_span(x, out, n, [sv](__m256 v) { return apply<Op>(v, sv); });
}

void pow_span(const float* x, float s, float* out, size_t n) {
  if (s == 2.0f) return simd::map_span(x, out, n, [](__m256 v) { return _mm256_mul_ps(v, v); });
  if (s == 0.5f) {
    const __m256 neg_inf = _mm256_set1_ps(-HUGE_VALF), inf = _mm256_set1_ps(HUGE_VALF);
    return simd::map_span(x, out, n, [=](__m256 v) {
      __m256 r = _mm256_add_ps(_mm256_sqrt_ps(v), _mm256_setzero_ps());
      return _mm256_blendv_ps(r, inf, _mm256_cmp_ps(v, neg_inf, _CMP_EQ_OQ));
    });
  }
  for (size_t i = 0; i < n; ++i) out[i] = apply_scalar<ScalarOp::Pow>(x[i], s);
}

void scalar_op_span(ScalarOp op, const float* x, float s, float* out, size_t n) {
  switch (op) {
    case ScalarOp::Add: return apply_span<ScalarOp::Add>(x, s, out, n);
    case ScalarOp::Mul: return apply_span<ScalarOp::Mul>(x, s, out, n);
    case ScalarOp::Pow: return pow_span(x, s, out, n);
    case ScalarOp::RSub: return apply_span<ScalarOp::RSub>(x, s, out, n);
    case ScalarOp::RDiv: return apply_span<ScalarOp::RDiv>(x, s, out, n);
    case ScalarOp::Maximum: return apply_span<ScalarOp::Maximum>(x, s, out, n);
    case ScalarOp::Minimum: return apply_span<ScalarOp::Minimum>(x, s, out, n);
  }
}

void clamp_span(const float* x, float lo, float hi, float* out, size_t n) {
  const __m256 l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  // max/min return their second operand for NaN, so x last keeps NaN.
  simd::map_span(x, out, n, [=](__m256 v) {
    __m256 r = _mm256_min_ps(h, _mm256_max_ps(l, v));
    return _mm256_blendv_ps(r, v, simd::is_nan(v));
  });
}

void fill_span(float* out, size_t n, float value) {
  const __m256 v = _mm256_set1_ps(value);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, v);
  if (i < n) simd::store_tail(out + i, n - i, v);
}

void axpy_span(float alpha, const float* x, float* y, size_t n) {
  const __m256 a = _mm256_set1_ps(alpha);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(a, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  }
  if (i < n) {
    size_t rest = n - i;
    simd::store_tail(y + i, rest, _mm256_fmadd_ps(a, simd::load_tail(x + i, rest), simd::load_tail(y + i, rest)));
  }
}

}  // namespace

const ScalarOpKernels& scalar_op_kernels_avx2() {
  static const ScalarOpKernels k{scalar_op_span, clamp_span, fill_span, axpy_span};
  return k;
}

}  // namespace dendrite
