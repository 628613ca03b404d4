// Elementwise ops with one tensor and one number, plus fill and axpy.
#pragma once

#include <cstddef>

#include "context.h"
#include "elementwise/ops.h"

namespace dendrite {

// out[i] = x[i] op s (RSub: s - x, RDiv: s / x). out may be x.
void scalar_op(const Context& ctx, ScalarOp op, const float* x, float s, float* out, size_t n);

// out[i] = min(max(x[i], lo), hi); NaN stays NaN; lo > hi gives hi (as torch.clamp).
void clamp(const Context& ctx, const float* x, float lo, float hi, float* out, size_t n);

void fill(const Context& ctx, float* out, size_t n, float value);

// y[i] += alpha · x[i] (gradient accumulation).
void axpy(const Context& ctx, float alpha, const float* x, float* y, size_t n);

}  // namespace dendrite
