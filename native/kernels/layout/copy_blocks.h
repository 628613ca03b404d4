// Strided block copy: the data movement of concat, stack, slice and their gradients.
//   for b < blocks: dst[dst_offset + b*dst_stride + i] = src[src_offset + b*src_stride + i], i < block_len
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

// src and dst must not overlap (checked by the caller).
void copy_blocks_f32(const Context& ctx, const float* src, size_t src_stride, float* dst, size_t dst_stride,
                     size_t blocks, size_t block_len);

}  // namespace dendrite
