// Fused inverted dropout with a counter-based generator: whether element i is
// kept depends only on (seed, offset + i), never on threads, chunking or ISA,
// so a mask can be reproduced anywhere from those two numbers.
//
// Kept elements are scaled by 1/(1 − p); p must lie in [0, 1) (callers check;
// p = 1 is all zeros and needs no kernel). p = 0 keeps everything exactly.
// Dropped elements are multiplied by 0, so a NaN or infinity in x stays NaN,
// as in x·mask/(1 − p).
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

// What p turns into: position g is kept when its 16 random bits (see
// philox.h) are >= threshold, so the keep probability is 1 − threshold/2^16.
struct DropoutRule {
  uint32_t threshold;  // floor(p · 2^16), at most 2^16 − 1
  float scale;         // 1/(1 − p), rounded to float
};
DropoutRule dropout_rule(double p);

// mask[i] = 1 if kept else 0; out[i] = x[i] · (kept ? scale : 0). out may alias x.
void dropout_forward(const Context& ctx, const float* x, float* out, uint8_t* mask, size_t n, double p,
                     uint32_t seed, uint64_t offset);

// gx[i] = gy[i] · (mask[i] ? scale : 0). gx may alias gy.
void dropout_backward(const Context& ctx, const float* gy, const uint8_t* mask, size_t n, double p, float* gx);

// The same when every element of gy is g (the gradient of a sum or a mean):
// gx[i] = g · (mask[i] ? scale : 0), bit for bit what dropout_backward gives
// for a gy filled with g, without reading one.
void dropout_backward_uniform(const Context& ctx, float g, const uint8_t* mask, size_t n, double p, float* gx);

// Spatial dropout: one draw per plane (positions offset + plane), applied to
// the plane's `spatial` elements; mask has one entry per plane.
void channel_dropout_forward(const Context& ctx, const float* x, float* out, uint8_t* mask, size_t planes,
                             size_t spatial, double p, uint32_t seed, uint64_t offset);
void channel_dropout_backward(const Context& ctx, const float* gy, const uint8_t* mask, size_t planes,
                              size_t spatial, double p, float* gx);

}  // namespace dendrite
