// Local response normalization across channels (AlexNet's LRN, as PyTorch's
// nn.LocalResponseNorm), on x viewed as [n, c, plane]:
//   d[c] = k + alpha/size · Σ x[c']²  over c' in [c − size/2, c + (size−1)/2] ∩ [0, C),
//   y[c] = x[c] · d[c]^(−beta).
// Channels outside [0, C) count as zeros, as PyTorch's zero padding does.
// Outputs are overwritten and must not overlap the inputs.
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

struct LrnParams {
  size_t size = 1;  // channels in the window, >= 1
  float alpha = 1e-4f, beta = 0.75f, k = 1.0f;
};

// y, and multiplier = d^(−beta) (what backward needs besides x).
void local_response_norm_forward(const Context& ctx, size_t n, size_t c, size_t plane, const LrnParams& p,
                                 const float* x, float* y, float* multiplier);

// gx[j] = gy[j]·d[j]^(−beta) − (2·alpha·beta/size)·x[j]·Σ_{i: j in window(i)} gy[i]·x[i]·d[i]^(−beta−1),
// with d recomputed from x and d^(−beta) the forward's multiplier.
void local_response_norm_backward(const Context& ctx, size_t n, size_t c, size_t plane, const LrnParams& p,
                                  const float* x, const float* gy, const float* multiplier, float* gx);

}  // namespace dendrite
