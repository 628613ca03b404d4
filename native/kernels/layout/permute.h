// Axis permutation of a dense row-major tensor into a dense output:
//   out = x.permute(perm), contiguous.
// The kernel first drops size-1 axes and merges axes that stay adjacent, so a
// batched transpose or an NCHW <-> NHWC conversion becomes a plain 2-D or 3-D
// problem: contiguous runs are copied with memcpy, and a genuine transpose is
// done in cache-sized tiles so both sides are read and written in lines.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

constexpr int kMaxPermuteRank = 8;

// shape: the `rank` sizes of x; perm: output axis i is input axis perm[i].
// perm must be a permutation of [0, rank) and rank <= kMaxPermuteRank (checked by the caller).
void permute_f32(const Context& ctx, const float* x, const int64_t* shape, const int* perm, int rank,
                 float* out);

}  // namespace dendrite
