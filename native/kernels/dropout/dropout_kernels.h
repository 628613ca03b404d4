// The per-range loops behind dropout.h, one set per ISA. Declarations only
// (no intrinsics), so the portable driver can dispatch to either.
#pragma once

#include <cstddef>
#include <cstdint>

#include "dropout/dropout.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define DENDRITE_DROPOUT_HAS_AVX2 1
#endif

namespace dendrite {

// Elements [0, n) at stream positions position + i.
void dropout_forward_scalar(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position,
                            uint32_t seed, const DropoutRule& rule);
// gy_uniform: gy points at one value that stands for every element (the
// gradient of a sum), read in place of gy[i].
void dropout_backward_scalar(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx);
// dst[i] = src[i] · factor.
void scale_elements_scalar(const float* src, float* dst, size_t n, float factor);

namespace avx2 {
// Same results bit for bit as the scalar versions. With `stream`, outputs are
// written with non-temporal stores (where aligned), which skip reading the
// destination lines first: worth it only for arrays far larger than the caches.
void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule, bool stream);
void dropout_backward(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx,
                      bool stream);
void scale_elements(const float* src, float* dst, size_t n, float factor);
}  // namespace avx2

namespace avx512 {
// The forward pass on sixteen Philox counters at once; same results bit for
// bit. (The backward pass and channel scaling use the AVX2 loops.)
void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule, bool stream);
}  // namespace avx512

namespace neon {  // arm64 builds only (DENDRITE_HAVE_NEON_KERNELS)
// Same results bit for bit as the scalar versions; `stream` is ignored.
void dropout_forward(const float* x, float* out, uint8_t* mask, size_t n, uint64_t position, uint32_t seed,
                     const DropoutRule& rule, bool stream);
void dropout_backward(const float* gy, bool gy_uniform, const uint8_t* mask, size_t n, float scale, float* gx,
                      bool stream);
void scale_elements(const float* src, float* dst, size_t n, float factor);
}  // namespace neon

}  // namespace dendrite
