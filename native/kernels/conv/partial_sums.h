// Adding up per-thread partial results (the weight gradients that threads
// accumulate into private buffers).
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

// out[e] (= when `first`, else +=) the sum of `count` partials of `size`
// floats each, laid one after another in `partial`, added in order.
void add_partials(const Context& ctx, const float* partial, size_t count, size_t size, bool first, float* out);

}  // namespace dendrite
