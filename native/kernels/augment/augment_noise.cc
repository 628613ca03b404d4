#include <cmath>
#include <cstdint>
#include <cstring>

#include "augment/augment.h"
#include "augment/augment_noise_kernels.h"

// The stream's bits must not depend on the CPU: compilers for targets with
// fused multiply-add (every arm64 one) would otherwise fuse the polynomial
// steps of normal_stream.h and of this file, and the scalar path would stop
// matching the vector paths and the x86 build. (After the other includes, so
// it covers only the stream's code.)
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include "augment/normal_stream.h"

namespace dendrite {

namespace {
// One element: in + stddev·z, clamped as the AVX2 max/min do (a NaN becomes lo).
inline float noisy(float x, float z, const NoiseRule& rule) {
  float v = x + rule.stddev * z;
  if (rule.clamp) {
    v = v > rule.lo ? v : rule.lo;
    v = v < rule.hi ? v : rule.hi;
  }
  return v;
}

inline void pair_at(uint32_t key, uint64_t pair, float* z0, float* z1) {
  const auto hi = static_cast<uint32_t>(pair >> 32);
  normal_stream::normal_pair(key, normal_stream::high_mix(key, hi), static_cast<uint32_t>(pair), z0, z1);
}
}  // namespace

double counter_normal(uint32_t seed, uint64_t index) {
  float z0, z1;
  pair_at(normal_stream::key_of(seed), index >> 1, &z0, &z1);
  return (index & 1) ? z1 : z0;
}

void gaussian_noise_scalar(const float* in, float* out, size_t n, uint64_t position, const NoiseRule& rule) {
  size_t i = 0;
  float z0, z1;
  if (n > 0 && (position & 1)) {  // starts on the second half of a pair
    pair_at(rule.key, position >> 1, &z0, &z1);
    out[0] = noisy(in[0], z1, rule);
    i = 1;
  }
  for (; i + 1 < n; i += 2) {
    pair_at(rule.key, (position + i) >> 1, &z0, &z1);
    out[i] = noisy(in[i], z0, rule);
    out[i + 1] = noisy(in[i + 1], z1, rule);
  }
  if (i < n) {
    pair_at(rule.key, (position + i) >> 1, &z0, &z1);
    out[i] = noisy(in[i], z0, rule);
  }
}

void augment_gaussian_noise(const Context& ctx, const float* in, float* out, size_t count, float stddev,
                            uint32_t seed, uint64_t offset, bool clamp, float lo, float hi) {
  const NoiseRule rule{normal_stream::key_of(seed), stddev, clamp, lo, hi};
  auto range = gaussian_noise_scalar;
#ifdef DENDRITE_AUGMENT_HAS_AVX2
  if (has_avx2(ctx.isa)) range = avx2::gaussian_noise;
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(ctx.isa)) range = neon::gaussian_noise;
#endif
  parallel_for(ctx, count, 16384, [&](size_t begin, size_t end, int) {
    range(in + begin, out + begin, end - begin, offset + begin, rule);
  });
}

}  // namespace dendrite
