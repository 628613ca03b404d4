#include <cmath>

#include "augment/augment.h"

namespace dendrite {

namespace {
uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;
constexpr double kTwoPi = 6.283185307179586476925286766559;
constexpr double kTwoPow53Inv = 1.0 / 9007199254740992.0;

// The pair of normals for counter `pair` of the stream `key`.
void normal_pair(uint64_t key, uint64_t pair, double* z0, double* z1) {
  const uint64_t h1 = mix64(key ^ mix64(pair));
  const uint64_t h2 = mix64(h1 + kGolden);
  const double u1 = static_cast<double>((h1 >> 11) + 1) * kTwoPow53Inv;  // (0, 1]: log is finite
  const double u2 = static_cast<double>(h2 >> 11) * kTwoPow53Inv;        // [0, 1)
  const double r = std::sqrt(-2.0 * std::log(u1));
  *z0 = r * std::cos(kTwoPi * u2);
  *z1 = r * std::sin(kTwoPi * u2);
}

uint64_t stream_key(uint32_t seed) { return mix64(static_cast<uint64_t>(seed) * kGolden + kGolden); }
}  // namespace

double counter_normal(uint32_t seed, uint64_t index) {
  double z0, z1;
  normal_pair(stream_key(seed), index >> 1, &z0, &z1);
  return (index & 1) ? z1 : z0;
}

void augment_gaussian_noise(const Context& ctx, const float* in, float* out, size_t count, float stddev,
                            uint32_t seed, uint64_t offset, bool clamp, float lo, float hi) {
  const uint64_t key = stream_key(seed);
  parallel_for(ctx, count, 8192, [&](size_t begin, size_t end, int) {
    size_t i = begin;
    auto put = [&](size_t j, double z) {
      float v = in[j] + stddev * static_cast<float>(z);
      if (clamp) v = v < lo ? lo : (v > hi ? hi : v);
      out[j] = v;
    };
    double z0, z1;
    // A chunk may start on the second half of a pair.
    if (i < end && ((offset + i) & 1)) {
      normal_pair(key, (offset + i) >> 1, &z0, &z1);
      put(i, z1);
      ++i;
    }
    for (; i + 1 < end; i += 2) {
      normal_pair(key, (offset + i) >> 1, &z0, &z1);
      put(i, z0);
      put(i + 1, z1);
    }
    if (i < end) {
      normal_pair(key, (offset + i) >> 1, &z0, &z1);
      put(i, z0);
    }
  });
}

}  // namespace dendrite
