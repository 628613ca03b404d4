// Softmax and log-softmax along the last axis of a [rows, cols] matrix, their
// backward passes, and the fused softmax cross-entropy. Every row has its max
// subtracted before exp, so large logits do not overflow.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

void softmax_forward(const Context& ctx, const float* x, size_t rows, size_t cols, float* out);
void log_softmax_forward(const Context& ctx, const float* x, size_t rows, size_t cols, float* out);

// gx = y·(gy - Σ gy·y) per row, y the softmax output.
void softmax_backward(const Context& ctx, const float* y, const float* gy, size_t rows, size_t cols, float* gx);
// gx = gy - exp(y)·Σ gy per row, y the log-softmax output.
void log_softmax_backward(const Context& ctx, const float* y, const float* gy, size_t rows, size_t cols,
                          float* gx);

// Returns Σ over rows of -log softmax(logits)[label] (accumulated in double,
// in row order, so independent of the thread count) and writes
// grad = softmax(logits) - onehot(label), unscaled. Every label must be in
// [0, cols) (the binding checks; see first_bad_label()).
double softmax_cross_entropy(const Context& ctx, const float* logits, const int32_t* labels, size_t rows,
                             size_t cols, float* grad);

// Index of the first row whose label is outside [0, cols), or rows if none.
size_t first_bad_label(const int32_t* labels, size_t rows, size_t cols);

}  // namespace dendrite
