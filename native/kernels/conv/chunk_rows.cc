#include "conv/chunk_rows.h"

#include <cstring>

namespace dendrite {

void chunk_rows_to_matrix(const Context& ctx, const ConvChunk& chunk, size_t channels, size_t plane,
                          const float* tensor, float* matrix) {
  const size_t tile = chunk.tile(), width = chunk.width();
  parallel_for(ctx, chunk.images * channels, conv_min_items(tile), [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) {
      const size_t u = r / channels, c = r % channels;
      std::memcpy(matrix + c * width + u * tile, tensor + ((chunk.first + u) * channels + c) * plane + chunk.p0,
                  tile * sizeof(float));
    }
  });
}

void matrix_to_chunk_rows(const Context& ctx, const ConvChunk& chunk, size_t channels, size_t plane,
                          const float* matrix, const float* bias, float* tensor) {
  const size_t tile = chunk.tile(), width = chunk.width();
  parallel_for(ctx, chunk.images * channels, conv_min_items(tile), [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) {
      const size_t u = r / channels, c = r % channels;
      const float* src = matrix + c * width + u * tile;
      float* dst = tensor + ((chunk.first + u) * channels + c) * plane + chunk.p0;
      if (bias == nullptr) {
        std::memcpy(dst, src, tile * sizeof(float));
      } else {
        const float b = bias[c];
        for (size_t p = 0; p < tile; ++p) dst[p] = src[p] + b;
      }
    }
  });
}

}  // namespace dendrite
