// Layer normalization: each row of x [rows, cols] is normalized by its own
// mean and (biased) variance, then scaled and shifted per column:
//   y = (x − mean)·invstd·weight + bias,  invstd = 1/√(var + eps).
// Row statistics are accumulated in double. Outputs are overwritten and must
// not overlap the inputs.
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

// mean[r] and invstd[r] are written for backward. weight and bias may be
// null (ones and zeros). A row of no values has mean 0 and variance 0.
void layer_norm_forward(const Context& ctx, size_t rows, size_t cols, const float* x, const float* weight,
                        const float* bias, double eps, float* y, float* mean, float* invstd);

// From gy and the forward's mean and invstd, with x̂ = (x − mean)·invstd and
// g = gy·weight:
//   gx = invstd·(g − mean(g) − x̂·mean(g·x̂))   (means over the row),
//   gweight = Σ_rows gy·x̂,  gbias = Σ_rows gy.
// gx, gweight and gbias may each be null (not computed). The column sums are
// taken in float over 16 rows at a time and in double beyond, over blocks of
// rows of a size fixed by the shape, so they do not depend on the thread count.
void layer_norm_backward(const Context& ctx, size_t rows, size_t cols, const float* x, const float* gy,
                         const float* mean, const float* invstd, const float* weight, float* gx, float* gweight,
                         float* gbias);

}  // namespace dendrite
