// Broadcast traversal: drops size-1 dimensions and merges dimensions that are
// contiguous in both inputs, so same-shape, scalar and row broadcasts become
// one or two dimensions; the innermost dimension is handed to a row kernel.
#include "elementwise/binary.h"

#include "elementwise/binary_rows.h"
#include "elementwise/isa_select.h"

namespace dendrite {
namespace {

struct BroadcastPlan {
  int rank = 0;
  int64_t shape[kMaxBroadcastRank];
  int64_t a_stride[kMaxBroadcastRank];
  int64_t b_stride[kMaxBroadcastRank];
};

BroadcastPlan collapse(const int64_t* a_strides, const int64_t* b_strides, const int64_t* shape, int rank) {
  BroadcastPlan p;
  for (int d = 0; d < rank; ++d) {
    if (shape[d] == 1) continue;
    int last = p.rank - 1;
    if (last >= 0 && p.a_stride[last] == a_strides[d] * shape[d] && p.b_stride[last] == b_strides[d] * shape[d]) {
      p.shape[last] *= shape[d];
      p.a_stride[last] = a_strides[d];
      p.b_stride[last] = b_strides[d];
    } else {
      p.shape[p.rank] = shape[d];
      p.a_stride[p.rank] = a_strides[d];
      p.b_stride[p.rank] = b_strides[d];
      ++p.rank;
    }
  }
  if (p.rank == 0) {  // every dimension had size 1: one element
    p.rank = 1;
    p.shape[0] = 1;
    p.a_stride[0] = p.b_stride[0] = 0;
  }
  return p;
}

BinaryRowKernel row_kernel(const Context& ctx, BinaryOp op) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return binary_row_kernel_avx2(op);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (wants_neon(ctx)) return binary_row_kernel_neon(op);
#endif
  return binary_row_kernel_scalar(op);
}

// Elements per thread below which splitting costs more than it saves.
size_t min_chunk(BinaryOp op) { return op == BinaryOp::Pow ? 4096 : 32768; }

}  // namespace

void binary_op(const Context& ctx, BinaryOp op, const float* a, const int64_t* a_strides, const float* b,
               const int64_t* b_strides, float* out, const int64_t* out_shape, int rank) {
  size_t total = 1;
  for (int d = 0; d < rank; ++d) total *= static_cast<size_t>(out_shape[d]);
  if (total == 0) return;
  const BroadcastPlan p = collapse(a_strides, b_strides, out_shape, rank);
  const BinaryRowKernel kernel = row_kernel(ctx, op);
  const int inner = p.rank - 1;
  const size_t row_len = static_cast<size_t>(p.shape[inner]);
  const ptrdiff_t sa = static_cast<ptrdiff_t>(p.a_stride[inner]);
  const ptrdiff_t sb = static_cast<ptrdiff_t>(p.b_stride[inner]);

  parallel_for(ctx, total, min_chunk(op), [&](size_t begin, size_t end, int) {
    // Position of `begin`: its row's index along each outer dimension, and
    // the offsets of that row in a and b, advanced like an odometer.
    size_t row = begin / row_len, col = begin % row_len;
    int64_t index[kMaxBroadcastRank];
    int64_t offset_a = 0, offset_b = 0;
    for (int d = inner - 1; d >= 0; --d) {
      index[d] = static_cast<int64_t>(row % static_cast<size_t>(p.shape[d]));
      row /= static_cast<size_t>(p.shape[d]);
      offset_a += index[d] * p.a_stride[d];
      offset_b += index[d] * p.b_stride[d];
    }
    size_t pos = begin;
    while (pos < end) {
      size_t n = row_len - col < end - pos ? row_len - col : end - pos;
      kernel(a + offset_a + static_cast<ptrdiff_t>(col) * sa, sa, b + offset_b + static_cast<ptrdiff_t>(col) * sb,
             sb, out + pos, n);
      pos += n;
      col = 0;
      for (int d = inner - 1; d >= 0; --d) {
        offset_a += p.a_stride[d];
        offset_b += p.b_stride[d];
        if (++index[d] < p.shape[d]) break;
        offset_a -= p.a_stride[d] * p.shape[d];
        offset_b -= p.b_stride[d] * p.shape[d];
        index[d] = 0;
      }
    }
  });
}

}  // namespace dendrite
