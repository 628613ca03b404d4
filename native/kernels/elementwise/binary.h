// out = a op b elementwise with NumPy broadcasting.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"
#include "elementwise/ops.h"

namespace dendrite {

constexpr int kMaxBroadcastRank = 8;

// out (contiguous, shape out_shape[0..rank)) = a op b, where element
// (i0, ..., i_{rank-1}) of a is a[Σ i_d·a_strides[d]] (likewise b). A stride of
// 0 broadcasts that input along the dimension. rank in [0, kMaxBroadcastRank];
// rank 0 is a single element. Strides must be non-negative and keep every
// access inside the inputs (the binding checks). out must not overlap a or b
// except as the identical same-shape contiguous array.
void binary_op(const Context& ctx, BinaryOp op, const float* a, const int64_t* a_strides, const float* b,
               const int64_t* b_strides, float* out, const int64_t* out_shape, int rank);

}  // namespace dendrite
