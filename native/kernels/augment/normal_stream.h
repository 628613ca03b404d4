// The counter-based normal stream behind augment_gaussian_noise, in plain
// float arithmetic (no intrinsics: included by the scalar path and used as
// the model the AVX2 and NEON paths copy operation for operation).
//
// Pair p of the stream for `seed` comes from two 32-bit hashes of (seed, p):
//   h1 = fmix32(fmix32(lo(p) + key) ^ high_mix(hi(p)))    h2 = fmix32(h1 + 0x9e3779b9)
//   u1 = ((h1 >> 1) + 0.5) · 2^-31  in (0, 1]           u2 = (h2 >> 8) · 2^-24  in [0, 1)
//   z_2p = r·cos(2π·u2), z_2p+1 = r·sin(2π·u2),  r = sqrt(-2·log u1)   (Box-Muller)
// |z| stays below 6.7. log and sin/cos are short polynomials (Cephes-style)
// good to about 1e-7 relative.
//
// The functions have internal linkage: each file that includes this one
// compiles them with its own flags (augment_noise*.cc forbid fused
// multiply-adds, which would change the bits), and the linker must never swap
// one file's copy for another's.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace dendrite::normal_stream {

static inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

constexpr uint32_t kGolden = 0x9e3779b9u;

static inline uint32_t key_of(uint32_t seed) { return fmix32(seed ^ kGolden); }
static inline uint32_t high_mix(uint32_t key, uint32_t hi) { return fmix32(hi * kGolden + (key ^ 0x7f4a7c15u)); }

// log(x) for x in (0, 1]: x = m·2^e with m in [sqrt(1/2), sqrt(2)).
static inline float log_unit(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  float e = static_cast<float>(static_cast<int32_t>(bits >> 23) - 126);
  uint32_t mbits = (bits & 0x007fffffu) | 0x3f000000u;  // m in [0.5, 1)
  float m;
  std::memcpy(&m, &mbits, sizeof m);
  // Selects rather than branches: the branch would be mispredicted half the time.
  const bool small = m < 0.70710678f;
  e = small ? e - 1.0f : e;
  m = small ? (m + m) - 1.0f : m - 1.0f;
  float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m + -1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m + -1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m + -1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m + -2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  y = y + -2.12194440e-4f * e;
  y = y + -0.5f * z;
  return (m + y) + 0.693359375f * e;
}

// sin and cos of a in [-pi/4, pi/4].
static inline float sin_small(float a) {
  float z = a * a;
  float p = -1.9515295891e-4f;
  p = p * z + 8.3321608736e-3f;
  p = p * z + -1.6666654611e-1f;
  return a + (p * z) * a;
}
static inline float cos_small(float a) {
  float z = a * a;
  float p = 2.443315711809948e-5f;
  p = p * z + -1.388731625493765e-3f;
  p = p * z + 4.166664568298827e-2f;
  return (1.0f - 0.5f * z) + (p * z) * z;
}

// v with its sign flipped when bit 31 of `mask` is set.
static inline float flip_sign(float v, uint32_t mask) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  bits ^= mask & 0x80000000u;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

constexpr float kTwoPow31Inv = 4.656612873077393e-10f;
constexpr float kTwoPow24Inv = 5.9604644775390625e-08f;
constexpr float kTwoPi = 6.28318530717958647692f;

// The two normals of pair `pair` (low and high 32 bits given apart) in the stream `key`.
static inline void normal_pair(uint32_t key, uint32_t hi_mix, uint32_t lo, float* z0, float* z1) {
  const uint32_t h1 = fmix32(fmix32(lo + key) ^ hi_mix);
  const uint32_t h2 = fmix32(h1 + kGolden);
  const float u1 = (static_cast<float>(static_cast<int32_t>(h1 >> 1)) + 0.5f) * kTwoPow31Inv;
  const float u2 = static_cast<float>(static_cast<int32_t>(h2 >> 8)) * kTwoPow24Inv;
  const float r = std::sqrt(-2.0f * log_unit(u1));
  // 2π·u2 = quadrant·π/2 + a with a in [-π/4, π/4], reduced exactly in u2.
  const int32_t quadrant = static_cast<int32_t>(u2 * 4.0f + 0.5f);
  const float a = (u2 - static_cast<float>(quadrant) * 0.25f) * kTwoPi;
  const float s = sin_small(a), c = cos_small(a);
  // Quadrant q: sin = (q odd ? c : s), negated when q & 2; cos = (q odd ? s : c), negated when (q + 1) & 2.
  const bool odd = (quadrant & 1) != 0;
  const float sin_v = flip_sign(odd ? c : s, static_cast<uint32_t>(quadrant) << 30);
  const float cos_v = flip_sign(odd ? s : c, static_cast<uint32_t>(quadrant + 1) << 30);
  *z0 = r * cos_v;
  *z1 = r * sin_v;
}

}  // namespace dendrite::normal_stream
