// Vectorised exp, expm1, log, log1p, tanh, sigmoid and the normal CDF for
// AVX2+FMA, eight floats at a time. Include ONLY from *_avx2.cc files.
//
// Each function reduces its argument to a small interval and evaluates a
// polynomial there (the structure XNNPACK and Cephes use); the coefficients
// are our own least-squares fits on Chebyshev nodes in double precision,
// rounded to float. Maximum relative error against double over [-88, 88]
// stays below 1e-6 (measured by the accuracy sweep in test_activation.cc).
// NaN in gives NaN out; infinities and huge arguments give the limits, never
// NaN, where the function has a limit.
#pragma once

#include <immintrin.h>

#include <limits>

#include "elementwise/simd_avx2.h"

namespace dendrite::vmath {

// 2^n for integer-valued n in [-126, 127] (n given as int32 lanes).
static inline __m256 pow2i(__m256i n) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n, _mm256_set1_epi32(127)), 23));
}

// exp(r) - 1 - r ≈ r²·q(r) on |r| <= ln2/2; fit of degree 4, relative error of
// 1 + r + r²q(r) about 8e-9.
static inline __m256 exp_poly_q(__m256 r) {
  __m256 q = _mm256_fmadd_ps(_mm256_set1_ps(1.393454499e-03f), r, _mm256_set1_ps(8.363776840e-03f));
  q = _mm256_fmadd_ps(q, r, _mm256_set1_ps(4.166645557e-02f));
  q = _mm256_fmadd_ps(q, r, _mm256_set1_ps(1.666657329e-01f));
  return _mm256_fmadd_ps(q, r, _mm256_set1_ps(0.5f));
}

// exp(x). x = n·ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2 so n·ln2_hi
// is exact), exp(r) by polynomial, then scaled by 2^n applied as two factors
// 2^(n/2)·2^(n - n/2): both stay normal over the whole range, so results that
// underflow to denormals are rounded once, and results above FLT_MAX overflow
// to +inf in the last multiply instead of wrapping the exponent.
// Lanes below -150·ln2, whose exp rounds to 0 (-inf included, e.g. padding
// or masked logits), are computed as exp(0) and zeroed at the end: letting
// them underflow would cost a floating-point assist of ~150 cycles per vector
// on Intel cores when FTZ is off, as it is in Node.
static inline __m256 exp(__m256 x) {
  const __m256 zero_below = _mm256_set1_ps(-103.972077f);
  __m256 to_zero = _mm256_cmp_ps(x, zero_below, _CMP_LT_OQ);
  x = _mm256_andnot_ps(to_zero, x);
  // Operand order keeps NaN: min returns its second operand when either is NaN.
  x = _mm256_min_ps(_mm256_set1_ps(89.0f), x);
  __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(r, r), exp_poly_q(r), r), _mm256_set1_ps(1.0f));
  __m256i ni = _mm256_cvtps_epi32(n);
  __m256i half = _mm256_srai_epi32(ni, 1);
  __m256 result = _mm256_mul_ps(_mm256_mul_ps(p, pow2i(half)), pow2i(_mm256_sub_epi32(ni, half)));
  return _mm256_andnot_ps(to_zero, result);
}

// exp(x) - 1 without cancellation near 0: the polynomial alone for |x| <= ln2/2,
// exp(x) - 1 outside (where the cancellation costs at most a factor of 3.5).
static inline __m256 expm1(__m256 x) {
  __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(x, x), exp_poly_q(x), x);
  __m256 large = _mm256_sub_ps(exp(x), _mm256_set1_ps(1.0f));
  __m256 use_small = _mm256_cmp_ps(simd::abs(x), _mm256_set1_ps(0.34657359f), _CMP_LE_OQ);
  return _mm256_blendv_ps(large, small, use_small);
}

// log(x): x = m·2^e with m in [sqrt(1/2), sqrt(2)); log(m) = 2·atanh(s) with
// s = (m-1)/(m+1), |s| <= 0.1716, as 2s + s³·R(s²) (R of degree 3, relative
// error 2e-11). Denormals are scaled up first. log(0) = -inf, log(x<0) = NaN,
// log(+inf) = +inf, as libm.
static inline __m256 log(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  __m256 denormal = _mm256_cmp_ps(x, _mm256_set1_ps(1.17549435e-38f), _CMP_LT_OQ);
  __m256 xs = _mm256_blendv_ps(x, _mm256_mul_ps(x, _mm256_set1_ps(8388608.0f)), denormal);
  __m256 e_bias = _mm256_blendv_ps(_mm256_set1_ps(127.0f), _mm256_set1_ps(150.0f), denormal);

  __m256i bits = _mm256_castps_si256(xs);
  __m256 e = _mm256_sub_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(bits, 23)), e_bias);
  __m256 m = _mm256_castsi256_ps(_mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)),
                                                 _mm256_set1_epi32(0x3f800000)));
  __m256 above = _mm256_cmp_ps(m, _mm256_set1_ps(1.41421356f), _CMP_GT_OQ);
  m = _mm256_blendv_ps(m, _mm256_mul_ps(m, _mm256_set1_ps(0.5f)), above);
  e = _mm256_add_ps(e, _mm256_and_ps(above, one));

  __m256 f = _mm256_sub_ps(m, one);
  __m256 s = _mm256_div_ps(f, _mm256_add_ps(f, _mm256_set1_ps(2.0f)));
  __m256 z = _mm256_mul_ps(s, s);
  __m256 poly = _mm256_fmadd_ps(_mm256_set1_ps(2.333251685e-01f), z, _mm256_set1_ps(2.855073810e-01f));
  poly = _mm256_fmadd_ps(poly, z, _mm256_set1_ps(4.000012279e-01f));
  poly = _mm256_fmadd_ps(poly, z, _mm256_set1_ps(6.666666865e-01f));
  __m256 log_m = _mm256_fmadd_ps(_mm256_mul_ps(s, z), poly, _mm256_add_ps(s, s));
  __m256 result = _mm256_fmadd_ps(e, _mm256_set1_ps(0.693359375f),
                                  _mm256_fmadd_ps(e, _mm256_set1_ps(-2.12194440e-4f), log_m));

  const __m256 inf = _mm256_set1_ps(std::numeric_limits<float>::infinity());
  result = _mm256_blendv_ps(result, _mm256_sub_ps(_mm256_setzero_ps(), inf),
                            _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_EQ_OQ));
  result = _mm256_blendv_ps(result, _mm256_set1_ps(std::numeric_limits<float>::quiet_NaN()),
                            _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
  __m256 passthrough = _mm256_or_ps(_mm256_cmp_ps(x, inf, _CMP_EQ_OQ), simd::is_nan(x));
  return _mm256_blendv_ps(result, x, passthrough);
}

// log(1 + u) for u >= 0 (the only use: softplus), accurate for tiny u:
// with w = 1 + u rounded, log(w)·u/(w - 1) cancels the rounding of w.
static inline __m256 log1p_nonnegative(__m256 u) {
  __m256 w = _mm256_add_ps(_mm256_set1_ps(1.0f), u);
  __m256 d = _mm256_sub_ps(w, _mm256_set1_ps(1.0f));
  __m256 corrected = _mm256_mul_ps(log(w), _mm256_div_ps(u, d));
  return _mm256_blendv_ps(corrected, u, _mm256_cmp_ps(d, _mm256_setzero_ps(), _CMP_EQ_OQ));
}

// tanh(x): x + x³·P(x²) for |x| < 0.625 (P of degree 5, relative error 6e-10),
// else sign(x)·(1 - 2/(exp(2|x|) + 1)), which tends to ±1 without NaN.
static inline __m256 tanh(__m256 x) {
  __m256 a = simd::abs(x);
  __m256 z = _mm256_mul_ps(x, x);
  __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(2.294871258e-03f), z, _mm256_set1_ps(-8.346127346e-03f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.176970243e-02f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.395937338e-02f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.333330423e-01f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.333333433e-01f));
  __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(x, z), p, x);

  __m256 e = exp(_mm256_add_ps(a, a));
  __m256 large = _mm256_sub_ps(_mm256_set1_ps(1.0f),
                               _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, _mm256_set1_ps(1.0f))));
  large = _mm256_or_ps(large, _mm256_and_ps(x, _mm256_set1_ps(-0.0f)));
  return _mm256_blendv_ps(large, small, _mm256_cmp_ps(a, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
}

// 1/(1 + exp(-x)): exp(-x) = inf gives 0, exp(-x) = 0 gives 1.
static inline __m256 sigmoid(__m256 x) {
  __m256 e = exp(_mm256_sub_ps(_mm256_setzero_ps(), x));
  return _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

// Standard normal CDF Φ(x) = erfc(-x/√2)/2. erfc(a) for a >= 0 as
// t·exp(P(t) - a²) with t = 1/(1 + a/2) (the form of the Numerical Recipes
// "erfcc" approximation; our degree-9 fit has relative error 5e-8 in double
// over a in [0, 10]), so Φ is accurate in relative terms deep in the left tail.
static inline __m256 normal_cdf(__m256 x) {
  __m256 a = simd::abs(_mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f)));
  __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(a, _mm256_set1_ps(0.5f), _mm256_set1_ps(1.0f)));
  __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(1.449302137e-01f), t, _mm256_set1_ps(-6.808272004e-01f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.156733751e+00f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-6.962519288e-01f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-8.028043061e-02f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.267586253e-03f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(3.460279852e-02f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(3.866403997e-01f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(9.986327887e-01f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.265447974e+00f));
  __m256 half_erfc = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), t), exp(_mm256_fnmadd_ps(a, a, p)));
  __m256 positive = _mm256_sub_ps(_mm256_set1_ps(1.0f), half_erfc);
  return _mm256_blendv_ps(positive, half_erfc, _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
}

// Standard normal density exp(-x²/2)/√(2π).
static inline __m256 normal_pdf(__m256 x) {
  __m256 e = exp(_mm256_mul_ps(_mm256_mul_ps(x, x), _mm256_set1_ps(-0.5f)));
  return _mm256_mul_ps(e, _mm256_set1_ps(0.39894228040143268f));
}

}  // namespace dendrite::vmath
