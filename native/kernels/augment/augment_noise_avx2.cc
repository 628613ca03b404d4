// AVX2 version of the normal stream (normal_stream.h), eight pairs at a time.
// Every float operation mirrors the scalar code in the same order and without
// FMA, so both paths give identical bits.
#include <immintrin.h>

// Fusing a multiply and an add into an FMA would change the rounding.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "augment/augment_noise_kernels.h"
#include "augment/normal_stream.h"

namespace dendrite::avx2 {

namespace {
inline __m256i fmix32(__m256i h) {
  h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
  h = _mm256_mullo_epi32(h, _mm256_set1_epi32(static_cast<int>(0x85ebca6bu)));
  h = _mm256_xor_si256(h, _mm256_srli_epi32(h, 13));
  h = _mm256_mullo_epi32(h, _mm256_set1_epi32(static_cast<int>(0xc2b2ae35u)));
  return _mm256_xor_si256(h, _mm256_srli_epi32(h, 16));
}

inline __m256 horner(__m256 y, __m256 m, float c) { return _mm256_add_ps(_mm256_mul_ps(y, m), _mm256_set1_ps(c)); }

inline __m256 log_unit(__m256 x) {
  const __m256i bits = _mm256_castps_si256(x);
  __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(126)));
  __m256 m = _mm256_castsi256_ps(
      _mm256_or_si256(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x3f000000)));
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 small = _mm256_cmp_ps(m, _mm256_set1_ps(0.70710678f), _CMP_LT_OQ);
  e = _mm256_blendv_ps(e, _mm256_sub_ps(e, one), small);
  m = _mm256_blendv_ps(_mm256_sub_ps(m, one), _mm256_sub_ps(_mm256_add_ps(m, m), one), small);
  const __m256 z = _mm256_mul_ps(m, m);
  __m256 y = _mm256_set1_ps(7.0376836292e-2f);
  y = horner(y, m, -1.1514610310e-1f);
  y = horner(y, m, 1.1676998740e-1f);
  y = horner(y, m, -1.2420140846e-1f);
  y = horner(y, m, 1.4249322787e-1f);
  y = horner(y, m, -1.6668057665e-1f);
  y = horner(y, m, 2.0000714765e-1f);
  y = horner(y, m, -2.4999993993e-1f);
  y = horner(y, m, 3.3333331174e-1f);
  y = _mm256_mul_ps(_mm256_mul_ps(y, m), z);
  y = _mm256_add_ps(y, _mm256_mul_ps(_mm256_set1_ps(-2.12194440e-4f), e));
  y = _mm256_add_ps(y, _mm256_mul_ps(_mm256_set1_ps(-0.5f), z));
  return _mm256_add_ps(_mm256_add_ps(m, y), _mm256_mul_ps(_mm256_set1_ps(0.693359375f), e));
}

inline __m256 sin_small(__m256 a) {
  const __m256 z = _mm256_mul_ps(a, a);
  __m256 p = _mm256_set1_ps(-1.9515295891e-4f);
  p = horner(p, z, 8.3321608736e-3f);
  p = horner(p, z, -1.6666654611e-1f);
  return _mm256_add_ps(a, _mm256_mul_ps(_mm256_mul_ps(p, z), a));
}

inline __m256 cos_small(__m256 a) {
  const __m256 z = _mm256_mul_ps(a, a);
  __m256 p = _mm256_set1_ps(2.443315711809948e-5f);
  p = horner(p, z, -1.388731625493765e-3f);
  p = horner(p, z, 4.166664568298827e-2f);
  return _mm256_add_ps(_mm256_sub_ps(_mm256_set1_ps(1.0f), _mm256_mul_ps(_mm256_set1_ps(0.5f), z)),
                       _mm256_mul_ps(_mm256_mul_ps(p, z), z));
}

// Normals of the eight pairs lo + 0..7 (same high word).
inline void normal_pairs(__m256i key, __m256i hi_mix, uint32_t lo, __m256* z0, __m256* z1) {
  const __m256i lanes = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(lo)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256i h1 = fmix32(_mm256_xor_si256(fmix32(_mm256_add_epi32(lanes, key)), hi_mix));
  const __m256i h2 = fmix32(_mm256_add_epi32(h1, _mm256_set1_epi32(static_cast<int>(normal_stream::kGolden))));
  const __m256 u1 = _mm256_mul_ps(_mm256_add_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(h1, 1)), _mm256_set1_ps(0.5f)),
                                  _mm256_set1_ps(normal_stream::kTwoPow31Inv));
  const __m256 u2 = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(h2, 8)), _mm256_set1_ps(normal_stream::kTwoPow24Inv));
  const __m256 r = _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), log_unit(u1)));
  const __m256i quadrant = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(u2, _mm256_set1_ps(4.0f)), _mm256_set1_ps(0.5f)));
  const __m256 a = _mm256_mul_ps(_mm256_sub_ps(u2, _mm256_mul_ps(_mm256_cvtepi32_ps(quadrant), _mm256_set1_ps(0.25f))),
                                 _mm256_set1_ps(normal_stream::kTwoPi));
  const __m256 s = sin_small(a), c = cos_small(a);
  // Quadrant q: sin = (q odd ? c : s), negated when q & 2; cos = (q odd ? s : c), negated when (q + 1) & 2.
  const __m256 odd = _mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_and_si256(quadrant, _mm256_set1_epi32(1)), _mm256_set1_epi32(1)));
  const __m256i sign_bit = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256 sin_sign = _mm256_castsi256_ps(_mm256_and_si256(_mm256_slli_epi32(quadrant, 30), sign_bit));
  const __m256 cos_sign =
      _mm256_castsi256_ps(_mm256_and_si256(_mm256_slli_epi32(_mm256_add_epi32(quadrant, _mm256_set1_epi32(1)), 30), sign_bit));
  const __m256 sin_v = _mm256_xor_ps(_mm256_blendv_ps(s, c, odd), sin_sign);
  const __m256 cos_v = _mm256_xor_ps(_mm256_blendv_ps(c, s, odd), cos_sign);
  *z0 = _mm256_mul_ps(r, cos_v);
  *z1 = _mm256_mul_ps(r, sin_v);
}

inline __m256 noisy(__m256 x, __m256 z, __m256 stddev, const NoiseRule& rule) {
  __m256 v = _mm256_add_ps(x, _mm256_mul_ps(stddev, z));
  if (rule.clamp) v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(rule.lo)), _mm256_set1_ps(rule.hi));
  return v;
}
}  // namespace

void gaussian_noise(const float* in, float* out, size_t n, uint64_t position, const NoiseRule& rule) {
  // Scalar until the position is at a pair boundary, then 16 elements (8 pairs) per step.
  size_t i = 0;
  if (n > 0 && (position & 1)) {
    gaussian_noise_scalar(in, out, 1, position, rule);
    i = 1;
  }
  const __m256i key = _mm256_set1_epi32(static_cast<int>(rule.key));
  const __m256 stddev = _mm256_set1_ps(rule.stddev);
  while (i + 16 <= n) {
    const uint64_t pair = (position + i) >> 1;
    const auto lo = static_cast<uint32_t>(pair), hi = static_cast<uint32_t>(pair >> 32);
    if (lo > 0xfffffff8u) {  // the eight pairs would straddle a change of the high word
      gaussian_noise_scalar(in + i, out + i, 16, position + i, rule);
      i += 16;
      continue;
    }
    const __m256i hi_mix = _mm256_set1_epi32(static_cast<int>(normal_stream::high_mix(rule.key, hi)));
    __m256 z0, z1;
    normal_pairs(key, hi_mix, lo, &z0, &z1);
    // Interleave: element 2k is z0[k], element 2k+1 is z1[k].
    const __m256 t0 = _mm256_unpacklo_ps(z0, z1), t1 = _mm256_unpackhi_ps(z0, z1);
    const __m256 first = _mm256_permute2f128_ps(t0, t1, 0x20), second = _mm256_permute2f128_ps(t0, t1, 0x31);
    _mm256_storeu_ps(out + i, noisy(_mm256_loadu_ps(in + i), first, stddev, rule));
    _mm256_storeu_ps(out + i + 8, noisy(_mm256_loadu_ps(in + i + 8), second, stddev, rule));
    i += 16;
  }
  if (i < n) gaussian_noise_scalar(in + i, out + i, n - i, position + i, rule);
}

}  // namespace dendrite::avx2
