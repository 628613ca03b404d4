// Unary math and activations, forward and backward, over contiguous spans.
#pragma once

#include <cstddef>

#include "context.h"
#include "elementwise/ops.h"

namespace dendrite {

// out[i] = op(x[i]); out may be x (in place).
void unary_op(const Context& ctx, UnaryOp op, const float* x, float* out, size_t n, float param);

// gx[i] = gy[i] · op'(x[i]), where y = op(x) is the forward output (kernels
// use whichever of x and y is cheaper). gx may alias gy. Overwrites gx.
void unary_backward(const Context& ctx, UnaryOp op, const float* x, const float* y, const float* gy, float* gx,
                    size_t n, float param);

}  // namespace dendrite
