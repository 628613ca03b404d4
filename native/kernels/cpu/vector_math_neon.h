// Vectorised exp, expm1, log, log1p, tanh, sigmoid and the normal CDF for
// NEON, four floats at a time. Include ONLY from *_neon.cc files (arm64 builds
// compile them).
//
// The same argument reductions and polynomial coefficients as the AVX2
// versions (activation/vector_math_avx2.h), so the same contract: maximum
// relative error against double below 1e-6 over [-88, 88] for exp and tanh and
// over the positive floats, denormals included, for log (measured on every
// ISA by the accuracy sweep in test_activation.cc).
// NaN in gives NaN out; infinities and huge arguments give the limits, never
// NaN, where the function has a limit.
#pragma once

#include <arm_neon.h>

#include <limits>

namespace dendrite::vmath {

// 2^n for integer-valued n in [-126, 127] (n given as int32 lanes).
static inline float32x4_t pow2i(int32x4_t n) {
  return vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n, vdupq_n_s32(127)), 23));
}

// exp(r) - 1 - r ≈ r²·q(r) on |r| <= ln2/2 (degree 4, relative error of
// 1 + r + r²q(r) about 8e-9).
static inline float32x4_t exp_poly_q(float32x4_t r) {
  float32x4_t q = vfmaq_f32(vdupq_n_f32(8.363776840e-03f), vdupq_n_f32(1.393454499e-03f), r);
  q = vfmaq_f32(vdupq_n_f32(4.166645557e-02f), q, r);
  q = vfmaq_f32(vdupq_n_f32(1.666657329e-01f), q, r);
  return vfmaq_f32(vdupq_n_f32(0.5f), q, r);
}

// exp(x): x = n·ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2 so n·ln2_hi
// is exact), exp(r) by polynomial, scaled by 2^(n/2)·2^(n - n/2): both factors
// stay normal, so results that underflow to denormals round once and results
// above FLT_MAX overflow to +inf in the last multiply. Lanes below -150·ln2
// (whose exp rounds to 0, -inf included) are computed as exp(0) and zeroed.
static inline float32x4_t exp(float32x4_t x) {
  const uint32x4_t to_zero = vcltq_f32(x, vdupq_n_f32(-103.972077f));
  x = vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(x), to_zero));
  // FMIN returns NaN when either operand is NaN, so NaN stays NaN.
  x = vminq_f32(x, vdupq_n_f32(89.0f));
  const float32x4_t n = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(1.44269504088896341f)));
  float32x4_t r = vfmsq_f32(x, n, vdupq_n_f32(0.693359375f));
  r = vfmsq_f32(r, n, vdupq_n_f32(-2.12194440e-4f));
  const float32x4_t p = vaddq_f32(vfmaq_f32(r, vmulq_f32(r, r), exp_poly_q(r)), vdupq_n_f32(1.0f));
  const int32x4_t ni = vcvtq_s32_f32(n);  // n is integral already
  const int32x4_t half = vshrq_n_s32(ni, 1);
  const float32x4_t result = vmulq_f32(vmulq_f32(p, pow2i(half)), pow2i(vsubq_s32(ni, half)));
  return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(result), to_zero));
}

// exp(x) - 1 without cancellation near 0: the polynomial alone for |x| <= ln2/2,
// exp(x) - 1 outside.
static inline float32x4_t expm1(float32x4_t x) {
  const float32x4_t small = vfmaq_f32(x, vmulq_f32(x, x), exp_poly_q(x));
  const float32x4_t large = vsubq_f32(exp(x), vdupq_n_f32(1.0f));
  return vbslq_f32(vcaleq_f32(x, vdupq_n_f32(0.34657359f)), small, large);
}

// log(x): x = m·2^e with m in [sqrt(1/2), sqrt(2)); log(m) = 2·atanh(s) with
// s = (m-1)/(m+1), |s| <= 0.1716, as 2s + s³·R(s²) (R of degree 3, relative
// error 2e-11). Denormals are scaled up by 2^23 first.
static inline float32x4_t log(float32x4_t x) {
  const float32x4_t one = vdupq_n_f32(1.0f);
  const uint32x4_t denormal = vcltq_f32(x, vdupq_n_f32(1.17549435e-38f));
  const float32x4_t xs = vbslq_f32(denormal, vmulq_f32(x, vdupq_n_f32(8388608.0f)), x);
  const float32x4_t e_bias = vbslq_f32(denormal, vdupq_n_f32(150.0f), vdupq_n_f32(127.0f));

  const uint32x4_t bits = vreinterpretq_u32_f32(xs);
  float32x4_t e = vsubq_f32(vcvtq_f32_u32(vshrq_n_u32(bits, 23)), e_bias);
  float32x4_t m = vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x007fffff)), vdupq_n_u32(0x3f800000)));
  const uint32x4_t above = vcgtq_f32(m, vdupq_n_f32(1.41421356f));
  m = vbslq_f32(above, vmulq_f32(m, vdupq_n_f32(0.5f)), m);
  e = vaddq_f32(e, vreinterpretq_f32_u32(vandq_u32(above, vreinterpretq_u32_f32(one))));

  const float32x4_t f = vsubq_f32(m, one);
  const float32x4_t s = vdivq_f32(f, vaddq_f32(f, vdupq_n_f32(2.0f)));
  const float32x4_t z = vmulq_f32(s, s);
  float32x4_t poly = vfmaq_f32(vdupq_n_f32(2.855073810e-01f), vdupq_n_f32(2.333251685e-01f), z);
  poly = vfmaq_f32(vdupq_n_f32(4.000012279e-01f), poly, z);
  poly = vfmaq_f32(vdupq_n_f32(6.666666865e-01f), poly, z);
  const float32x4_t log_m = vfmaq_f32(vaddq_f32(s, s), vmulq_f32(s, z), poly);
  float32x4_t result = vfmaq_f32(vfmaq_f32(log_m, e, vdupq_n_f32(-2.12194440e-4f)), e, vdupq_n_f32(0.693359375f));

  const float32x4_t inf = vdupq_n_f32(std::numeric_limits<float>::infinity());
  const float32x4_t zero = vdupq_n_f32(0.0f);
  result = vbslq_f32(vceqq_f32(x, zero), vnegq_f32(inf), result);
  result = vbslq_f32(vcltq_f32(x, zero), vdupq_n_f32(std::numeric_limits<float>::quiet_NaN()), result);
  // +inf and NaN pass through unchanged.
  const uint32x4_t passthrough = vorrq_u32(vceqq_f32(x, inf), vmvnq_u32(vceqq_f32(x, x)));
  return vbslq_f32(passthrough, x, result);
}

// log(1 + u) for u >= 0, accurate for tiny u: with w = 1 + u rounded,
// log(w)·u/(w - 1) cancels the rounding of w.
static inline float32x4_t log1p_nonnegative(float32x4_t u) {
  const float32x4_t w = vaddq_f32(vdupq_n_f32(1.0f), u);
  const float32x4_t d = vsubq_f32(w, vdupq_n_f32(1.0f));
  const float32x4_t corrected = vmulq_f32(log(w), vdivq_f32(u, d));
  return vbslq_f32(vceqq_f32(d, vdupq_n_f32(0.0f)), u, corrected);
}

// tanh(x): x + x³·P(x²) for |x| < 0.625 (P of degree 5, relative error 6e-10),
// else sign(x)·(1 - 2/(exp(2|x|) + 1)), which tends to ±1 without NaN.
static inline float32x4_t tanh(float32x4_t x) {
  const float32x4_t a = vabsq_f32(x);
  const float32x4_t z = vmulq_f32(x, x);
  float32x4_t p = vfmaq_f32(vdupq_n_f32(-8.346127346e-03f), vdupq_n_f32(2.294871258e-03f), z);
  p = vfmaq_f32(vdupq_n_f32(2.176970243e-02f), p, z);
  p = vfmaq_f32(vdupq_n_f32(-5.395937338e-02f), p, z);
  p = vfmaq_f32(vdupq_n_f32(1.333330423e-01f), p, z);
  p = vfmaq_f32(vdupq_n_f32(-3.333333433e-01f), p, z);
  const float32x4_t small = vfmaq_f32(x, vmulq_f32(x, z), p);

  const float32x4_t e = exp(vaddq_f32(a, a));
  float32x4_t large = vsubq_f32(vdupq_n_f32(1.0f), vdivq_f32(vdupq_n_f32(2.0f), vaddq_f32(e, vdupq_n_f32(1.0f))));
  const uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
  large = vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(large), sign));
  return vbslq_f32(vcltq_f32(a, vdupq_n_f32(0.625f)), small, large);
}

// 1/(1 + exp(-x)): exp(-x) = inf gives 0, exp(-x) = 0 gives 1.
static inline float32x4_t sigmoid(float32x4_t x) {
  const float32x4_t e = exp(vnegq_f32(x));
  return vdivq_f32(vdupq_n_f32(1.0f), vaddq_f32(vdupq_n_f32(1.0f), e));
}

// Standard normal CDF Φ(x) = erfc(-x/√2)/2, erfc(a) for a >= 0 as
// t·exp(P(t) - a²) with t = 1/(1 + a/2) (the AVX2 header's degree-9 fit), so
// Φ is accurate in relative terms deep in the left tail.
static inline float32x4_t normal_cdf(float32x4_t x) {
  const float32x4_t a = vabsq_f32(vmulq_f32(x, vdupq_n_f32(0.70710678118654752f)));
  const float32x4_t t = vdivq_f32(vdupq_n_f32(1.0f), vfmaq_f32(vdupq_n_f32(1.0f), a, vdupq_n_f32(0.5f)));
  float32x4_t p = vfmaq_f32(vdupq_n_f32(-6.808272004e-01f), vdupq_n_f32(1.449302137e-01f), t);
  p = vfmaq_f32(vdupq_n_f32(1.156733751e+00f), p, t);
  p = vfmaq_f32(vdupq_n_f32(-6.962519288e-01f), p, t);
  p = vfmaq_f32(vdupq_n_f32(-8.028043061e-02f), p, t);
  p = vfmaq_f32(vdupq_n_f32(1.267586253e-03f), p, t);
  p = vfmaq_f32(vdupq_n_f32(3.460279852e-02f), p, t);
  p = vfmaq_f32(vdupq_n_f32(3.866403997e-01f), p, t);
  p = vfmaq_f32(vdupq_n_f32(9.986327887e-01f), p, t);
  p = vfmaq_f32(vdupq_n_f32(-1.265447974e+00f), p, t);
  const float32x4_t half_erfc = vmulq_f32(vmulq_f32(vdupq_n_f32(0.5f), t), exp(vfmsq_f32(p, a, a)));
  const float32x4_t positive = vsubq_f32(vdupq_n_f32(1.0f), half_erfc);
  return vbslq_f32(vcltq_f32(x, vdupq_n_f32(0.0f)), half_erfc, positive);
}

// Standard normal density exp(-x²/2)/√(2π).
static inline float32x4_t normal_pdf(float32x4_t x) {
  const float32x4_t e = exp(vmulq_f32(vmulq_f32(x, x), vdupq_n_f32(-0.5f)));
  return vmulq_f32(e, vdupq_n_f32(0.39894228040143268f));
}

}  // namespace dendrite::vmath
