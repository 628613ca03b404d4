// Reductions along one axis and over whole arrays.
//
// An axis reduction views x as [outer, len, inner] (row-major) and reduces the
// middle axis: out[o·inner + i] = reduce over l of x[(o·len + l)·inner + i].
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

// Sum along the middle axis; len = 0 gives zeros.
void reduce_sum(const Context& ctx, const float* x, size_t outer, size_t len, size_t inner, float* out);

// Max along the middle axis and its index (the first occurrence). A NaN wins
// over every number, and its first position is reported, as torch.max does.
// Requires len >= 1 and len <= INT32_MAX.
void reduce_max(const Context& ctx, const float* x, size_t outer, size_t len, size_t inner, float* out,
                int32_t* indices);

// Σ x[i] and Σ x[i]², accumulated in double. The array is cut into fixed
// blocks whose partial sums are added in order, so the result does not depend
// on the thread count.
double sum_all(const Context& ctx, const float* x, size_t n);
double sum_squares(const Context& ctx, const float* x, size_t n);

}  // namespace dendrite
