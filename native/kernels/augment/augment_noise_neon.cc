// NEON version of the normal stream (normal_stream.h), four pairs (eight
// elements) at a time. Every float operation mirrors the scalar code in the
// same order and without fused multiply-adds, so both paths, and the x86
// ones, give identical bits.
#include <arm_neon.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "augment/augment_noise_kernels.h"

// The compiler would otherwise fuse a multiply and an add into one rounding
// (here and in normal_stream.h's functions, which this file's copies use).
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "augment/normal_stream.h"

namespace dendrite::neon {

namespace {
inline uint32x4_t fmix32(uint32x4_t h) {
  h = veorq_u32(h, vshrq_n_u32(h, 16));
  h = vmulq_u32(h, vdupq_n_u32(0x85ebca6bu));
  h = veorq_u32(h, vshrq_n_u32(h, 13));
  h = vmulq_u32(h, vdupq_n_u32(0xc2b2ae35u));
  return veorq_u32(h, vshrq_n_u32(h, 16));
}

// y·m + c, rounded twice as the scalar code does.
inline float32x4_t horner(float32x4_t y, float32x4_t m, float c) { return vaddq_f32(vmulq_f32(y, m), vdupq_n_f32(c)); }

inline float32x4_t log_unit(float32x4_t x) {
  const uint32x4_t bits = vreinterpretq_u32_f32(x);
  float32x4_t e = vcvtq_f32_s32(vsubq_s32(vreinterpretq_s32_u32(vshrq_n_u32(bits, 23)), vdupq_n_s32(126)));
  float32x4_t m = vreinterpretq_f32_u32(vorrq_u32(vandq_u32(bits, vdupq_n_u32(0x007fffffu)), vdupq_n_u32(0x3f000000u)));
  const float32x4_t one = vdupq_n_f32(1.0f);
  const uint32x4_t small = vcltq_f32(m, vdupq_n_f32(0.70710678f));
  e = vbslq_f32(small, vsubq_f32(e, one), e);
  m = vbslq_f32(small, vsubq_f32(vaddq_f32(m, m), one), vsubq_f32(m, one));
  const float32x4_t z = vmulq_f32(m, m);
  float32x4_t y = vdupq_n_f32(7.0376836292e-2f);
  y = horner(y, m, -1.1514610310e-1f);
  y = horner(y, m, 1.1676998740e-1f);
  y = horner(y, m, -1.2420140846e-1f);
  y = horner(y, m, 1.4249322787e-1f);
  y = horner(y, m, -1.6668057665e-1f);
  y = horner(y, m, 2.0000714765e-1f);
  y = horner(y, m, -2.4999993993e-1f);
  y = horner(y, m, 3.3333331174e-1f);
  y = vmulq_f32(vmulq_f32(y, m), z);
  y = vaddq_f32(y, vmulq_f32(vdupq_n_f32(-2.12194440e-4f), e));
  y = vaddq_f32(y, vmulq_f32(vdupq_n_f32(-0.5f), z));
  return vaddq_f32(vaddq_f32(m, y), vmulq_f32(vdupq_n_f32(0.693359375f), e));
}

inline float32x4_t sin_small(float32x4_t a) {
  const float32x4_t z = vmulq_f32(a, a);
  float32x4_t p = vdupq_n_f32(-1.9515295891e-4f);
  p = horner(p, z, 8.3321608736e-3f);
  p = horner(p, z, -1.6666654611e-1f);
  return vaddq_f32(a, vmulq_f32(vmulq_f32(p, z), a));
}

inline float32x4_t cos_small(float32x4_t a) {
  const float32x4_t z = vmulq_f32(a, a);
  float32x4_t p = vdupq_n_f32(2.443315711809948e-5f);
  p = horner(p, z, -1.388731625493765e-3f);
  p = horner(p, z, 4.166664568298827e-2f);
  return vaddq_f32(vsubq_f32(vdupq_n_f32(1.0f), vmulq_f32(vdupq_n_f32(0.5f), z)), vmulq_f32(vmulq_f32(p, z), z));
}

// Normals of the four pairs lo + 0..3 (same high word).
inline void normal_pairs(uint32x4_t key, uint32x4_t hi_mix, uint32_t lo, float32x4_t* z0, float32x4_t* z1) {
  const uint32x4_t lane = {0, 1, 2, 3};
  const uint32x4_t lanes = vaddq_u32(vdupq_n_u32(lo), lane);
  const uint32x4_t h1 = fmix32(veorq_u32(fmix32(vaddq_u32(lanes, key)), hi_mix));
  const uint32x4_t h2 = fmix32(vaddq_u32(h1, vdupq_n_u32(normal_stream::kGolden)));
  const float32x4_t u1 = vmulq_f32(vaddq_f32(vcvtq_f32_s32(vreinterpretq_s32_u32(vshrq_n_u32(h1, 1))), vdupq_n_f32(0.5f)),
                                   vdupq_n_f32(normal_stream::kTwoPow31Inv));
  const float32x4_t u2 =
      vmulq_f32(vcvtq_f32_s32(vreinterpretq_s32_u32(vshrq_n_u32(h2, 8))), vdupq_n_f32(normal_stream::kTwoPow24Inv));
  const float32x4_t r = vsqrtq_f32(vmulq_f32(vdupq_n_f32(-2.0f), log_unit(u1)));
  // Conversion truncates toward zero, as the scalar cast does.
  const int32x4_t quadrant = vcvtq_s32_f32(vaddq_f32(vmulq_f32(u2, vdupq_n_f32(4.0f)), vdupq_n_f32(0.5f)));
  const float32x4_t a = vmulq_f32(vsubq_f32(u2, vmulq_f32(vcvtq_f32_s32(quadrant), vdupq_n_f32(0.25f))),
                                  vdupq_n_f32(normal_stream::kTwoPi));
  const float32x4_t s = sin_small(a), c = cos_small(a);
  // Quadrant q: sin = (q odd ? c : s), negated when q & 2; cos = (q odd ? s : c), negated when (q + 1) & 2.
  const uint32x4_t q = vreinterpretq_u32_s32(quadrant);
  const uint32x4_t odd = vtstq_u32(q, vdupq_n_u32(1));
  const uint32x4_t sign_bit = vdupq_n_u32(0x80000000u);
  const uint32x4_t sin_sign = vandq_u32(vshlq_n_u32(q, 30), sign_bit);
  const uint32x4_t cos_sign = vandq_u32(vshlq_n_u32(vaddq_u32(q, vdupq_n_u32(1)), 30), sign_bit);
  const float32x4_t sin_v = vreinterpretq_f32_u32(veorq_u32(vreinterpretq_u32_f32(vbslq_f32(odd, c, s)), sin_sign));
  const float32x4_t cos_v = vreinterpretq_f32_u32(veorq_u32(vreinterpretq_u32_f32(vbslq_f32(odd, s, c)), cos_sign));
  *z0 = vmulq_f32(r, cos_v);
  *z1 = vmulq_f32(r, sin_v);
}

// x + stddev·z, clamped as the scalar code does it: compare and select, so a
// NaN becomes lo (vmaxq/vminq would keep the NaN).
inline float32x4_t noisy(float32x4_t x, float32x4_t z, float32x4_t stddev, const NoiseRule& rule) {
  float32x4_t v = vaddq_f32(x, vmulq_f32(stddev, z));
  if (rule.clamp) {
    const float32x4_t lo = vdupq_n_f32(rule.lo), hi = vdupq_n_f32(rule.hi);
    v = vbslq_f32(vcgtq_f32(v, lo), v, lo);
    v = vbslq_f32(vcltq_f32(v, hi), v, hi);
  }
  return v;
}
}  // namespace

void gaussian_noise(const float* in, float* out, size_t n, uint64_t position, const NoiseRule& rule) {
  // Scalar until the position is at a pair boundary, then 8 elements (4 pairs) per step.
  size_t i = 0;
  if (n > 0 && (position & 1)) {
    gaussian_noise_scalar(in, out, 1, position, rule);
    i = 1;
  }
  const uint32x4_t key = vdupq_n_u32(rule.key);
  const float32x4_t stddev = vdupq_n_f32(rule.stddev);
  while (i + 8 <= n) {
    const uint64_t pair = (position + i) >> 1;
    const auto lo = static_cast<uint32_t>(pair), hi = static_cast<uint32_t>(pair >> 32);
    if (lo > 0xfffffffcu) {  // the four pairs would straddle a change of the high word
      gaussian_noise_scalar(in + i, out + i, 8, position + i, rule);
      i += 8;
      continue;
    }
    const uint32x4_t hi_mix = vdupq_n_u32(normal_stream::high_mix(rule.key, hi));
    float32x4_t z0, z1;
    normal_pairs(key, hi_mix, lo, &z0, &z1);
    // Element 2k takes z0[k] and element 2k+1 takes z1[k]: vld2q/vst2q split
    // and rejoin the even and odd elements.
    const float32x4x2_t x = vld2q_f32(in + i);
    const float32x4x2_t y = {{noisy(x.val[0], z0, stddev, rule), noisy(x.val[1], z1, stddev, rule)}};
    vst2q_f32(out + i, y);
    i += 8;
  }
  if (i < n) gaussian_noise_scalar(in + i, out + i, n - i, position + i, rule);
}

}  // namespace dendrite::neon
