// Moves a convolution chunk's rows between an NCHW tensor and the chunk's
// side-by-side matrix layout (conv2d_chunks.h): row c of the matrix holds
// channel c of every image of the chunk, unit u's pixels [p0, p1) at
// columns [u·tile, (u+1)·tile).
#pragma once

#include <cstddef>

#include "context.h"
#include "conv/conv2d_chunks.h"

namespace dendrite {

// matrix[c][u·tile + (p − p0)] = tensor[first + u][c][p] for the chunk's
// pixels; `plane` is the tensor's pixels per channel.
void chunk_rows_to_matrix(const Context& ctx, const ConvChunk& chunk, size_t channels, size_t plane,
                          const float* tensor, float* matrix);

// The inverse: tensor[first + u][c][p] = matrix[c][u·tile + (p − p0)]
// (+ bias[c] when bias is not null).
void matrix_to_chunk_rows(const Context& ctx, const ConvChunk& chunk, size_t channels, size_t plane,
                          const float* matrix, const float* bias, float* tensor);

}  // namespace dendrite
