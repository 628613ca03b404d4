// The per-range loops behind augment_gaussian_noise, one per ISA.
// Declarations only (no intrinsics), so the portable driver can dispatch.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cpu/isa.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define DENDRITE_AUGMENT_HAS_AVX2 1
#endif

namespace dendrite {

struct NoiseRule {
  uint32_t key;  // normal_stream::key_of(seed)
  float stddev;
  bool clamp;
  float lo, hi;
};

// Elements [0, n) of in/out at stream positions position + i.
void gaussian_noise_scalar(const float* in, float* out, size_t n, uint64_t position, const NoiseRule& rule);

namespace avx2 {
// Same results bit for bit as the scalar version.
void gaussian_noise(const float* in, float* out, size_t n, uint64_t position, const NoiseRule& rule);
}  // namespace avx2

namespace neon {  // arm64 builds only (DENDRITE_HAVE_NEON_KERNELS)
// Same results bit for bit as the scalar version.
void gaussian_noise(const float* in, float* out, size_t n, uint64_t position, const NoiseRule& rule);
}  // namespace neon

}  // namespace dendrite
