// The Winograd F(2×2, 3×3) filter transforms: 3×3 kernels to the 4×4 values
// the tile products multiply (U = G·g·Gᵀ), and gradients of those values back
// to the 3×3 kernels (Gᵀ·dU·G), with
//   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
#pragma once

#include <cstddef>

namespace dendrite::winograd {

// u[ξ][o][c] = (G·w[o][c]·Gᵀ)[ξ] for w [o, c, 3, 3].
void filter_to_positions(const float* w, size_t o, size_t c, float* u);

// The filters of the input gradient, a convolution of the output gradient
// with each kernel rotated by 180° and the channel axes swapped:
// u[ξ][c][o] = (G·rot180(w[o][c])·Gᵀ)[ξ].
void rotated_filter_to_positions(const float* w, size_t o, size_t c, float* u);

// gw[o][c] = Gᵀ·du[·][o][c]·G, where du[ξ] is an o×c matrix with rows ld
// apart, the 16 of them position_stride floats apart.
void positions_to_filter_gradient(const float* du, size_t ld, size_t position_stride, size_t o, size_t c,
                                  float* gw);

}  // namespace dendrite::winograd
