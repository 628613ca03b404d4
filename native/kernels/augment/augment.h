// Image augmentation kernels for NCHW float batches. The random parameters
// (offsets, flips, angles, noise seeds) are drawn by the caller; these
// kernels only apply them, so a batch is reproducible from its parameters.
//
// Pixels that come from outside the source image read `fill`. None of the
// geometric kernels may run in place (`out` must not overlap `in`); the noise
// kernel may (out == in).
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

// Integer crop/shift with an optional horizontal flip of the result:
//   out[i, ch, y, x] = in[i, ch, y + offset_y[i], xs + offset_x[i]],
//   xs = flip[i] ? out_w - 1 - x : x,
// reading `fill` outside the h×w source. out is [n, c, out_h, out_w]. A random
// crop with padding p is offset_y, offset_x drawn from [-p, h + p - out_h].
void augment_shift_flip_nchw(const Context& ctx, const float* in, float* out, size_t n, size_t c,
                             size_t h, size_t w, size_t out_h, size_t out_w, const int32_t* offset_y,
                             const int32_t* offset_x, const uint8_t* flip, float fill);

// Rotation of each image about its centre ((w-1)/2, (h-1)/2) by angle[i]
// radians, counter-clockwise as displayed (rows grow downwards), with bilinear
// interpolation. Each of the four neighbours of a sample point that lies
// outside the image reads `fill`, so borders blend smoothly. out is [n, c, h, w].
void augment_rotate_bilinear_nchw(const Context& ctx, const float* in, float* out, size_t n, size_t c,
                                  size_t h, size_t w, const float* angles, float fill);

// out[i] = in[i] + stddev · z(seed, offset + i), then clamped to [lo, hi] when
// `clamp`. z is counter_normal below, so the noise depends only on the seed and
// the element's position, never on the thread count or the CPU; the scalar,
// AVX2 and NEON paths give identical bits.
void augment_gaussian_noise(const Context& ctx, const float* in, float* out, size_t count, float stddev,
                            uint32_t seed, uint64_t offset, bool clamp, float lo, float hi);

// A standard normal variate for (seed, index) from the counter-based stream of
// normal_stream.h (32-bit hashing and Box-Muller in float): indices 2k and
// 2k+1 are the cosine and sine halves of one pair of uniforms.
double counter_normal(uint32_t seed, uint64_t index);

}  // namespace dendrite
