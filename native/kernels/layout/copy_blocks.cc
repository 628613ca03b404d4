#include "layout/copy_blocks.h"

#include <algorithm>
#include <cstring>

namespace dendrite {

void copy_blocks_f32(const Context& ctx, const float* src, size_t src_stride, float* dst, size_t dst_stride,
                     size_t blocks, size_t block_len) {
  if (blocks == 0 || block_len == 0) return;
  // Split long blocks into pieces so that a few large blocks still use every thread.
  constexpr size_t kPiece = size_t{1} << 15;
  size_t pieces = (block_len + kPiece - 1) / kPiece;
  size_t piece_len = (block_len + pieces - 1) / pieces;
  size_t items = blocks * pieces;
  size_t min_items = std::max<size_t>(1, kPiece / std::min(block_len, piece_len));
  parallel_for(ctx, items, min_items, [&](size_t i0, size_t i1, int) {
    for (size_t item = i0; item < i1; ++item) {
      size_t b = item / pieces, k = item % pieces;
      size_t begin = k * piece_len;
      size_t len = std::min(block_len, begin + piece_len) - begin;
      std::memcpy(dst + b * dst_stride + begin, src + b * src_stride + begin, len * sizeof(float));
    }
  });
}

}  // namespace dendrite
