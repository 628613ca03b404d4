// The fully connected layer for inference: y [batch, out] = x [batch, in] ·
// wᵀ + bias (w [out, in] as PyTorch stores it), then ReLU if asked, the bias
// and ReLU applied to each tile of sums before it is stored (linear_impl.h).
// Buffers must not overlap y; bias may be nullptr.
#pragma once

#include "context.h"
#include "infer/infer_kernels.h"

namespace dendrite::infer {

void linear_infer(const Context& ctx, const LinearTask& task);

}  // namespace dendrite::infer
