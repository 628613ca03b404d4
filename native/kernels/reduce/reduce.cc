#include "reduce/reduce.h"

#include <vector>

#include "elementwise/isa_select.h"
#include "reduce/reduce_kernels.h"

namespace dendrite {
namespace {

const ReduceKernels& kernels(const Context& ctx) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return reduce_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(ctx.isa)) return reduce_kernels_neon();
#endif
  return reduce_kernels_scalar();
}

constexpr size_t kMinElementsPerThread = 32768;

// Work items: one per (outer row, column tile); the chunk gives each thread
// at least kMinElementsPerThread elements to read.
struct ColumnSplit {
  size_t tiles_per_row, items, min_chunk;
  ColumnSplit(size_t outer, size_t len, size_t inner) {
    tiles_per_row = (inner + kReduceColumnTile - 1) / kReduceColumnTile;
    items = outer * tiles_per_row;
    size_t per_item = len * kReduceColumnTile;
    min_chunk = per_item >= kMinElementsPerThread ? 1 : kMinElementsPerThread / (per_item ? per_item : 1);
  }
};

size_t rows_per_chunk(size_t len) { return len >= kMinElementsPerThread ? 1 : kMinElementsPerThread / (len ? len : 1); }

constexpr size_t kSumBlock = size_t{1} << 16;

double blocked_sum(const Context& ctx, const float* x, size_t n, double (*block_sum)(const float*, size_t)) {
  size_t blocks = (n + kSumBlock - 1) / kSumBlock;
  if (blocks <= 1) return n ? block_sum(x, n) : 0.0;
  std::vector<double> partial(blocks);
  parallel_for(ctx, blocks, 1, [&](size_t b0, size_t b1, int) {
    for (size_t b = b0; b < b1; ++b) {
      size_t begin = b * kSumBlock, end = begin + kSumBlock < n ? begin + kSumBlock : n;
      partial[b] = block_sum(x + begin, end - begin);
    }
  });
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace

void reduce_sum(const Context& ctx, const float* x, size_t outer, size_t len, size_t inner, float* out) {
  if (outer == 0 || inner == 0) return;
  const ReduceKernels& k = kernels(ctx);
  if (inner == 1) {
    parallel_for(ctx, outer, rows_per_chunk(len), [&](size_t o0, size_t o1, int) {
      for (size_t o = o0; o < o1; ++o) out[o] = k.sum_row(x + o * len, len);
    });
    return;
  }
  ColumnSplit split(outer, len, inner);
  parallel_for(ctx, split.items, split.min_chunk, [&](size_t i0, size_t i1, int) {
    for (size_t item = i0; item < i1; ++item) {
      size_t o = item / split.tiles_per_row, col = (item % split.tiles_per_row) * kReduceColumnTile;
      size_t width = inner - col < kReduceColumnTile ? inner - col : kReduceColumnTile;
      k.sum_columns(x + o * len * inner + col, len, inner, width, out + o * inner + col);
    }
  });
}

void reduce_max(const Context& ctx, const float* x, size_t outer, size_t len, size_t inner, float* out,
                int32_t* indices) {
  if (outer == 0 || inner == 0 || len == 0) return;
  const ReduceKernels& k = kernels(ctx);
  if (inner == 1) {
    parallel_for(ctx, outer, rows_per_chunk(len), [&](size_t o0, size_t o1, int) {
      for (size_t o = o0; o < o1; ++o) k.max_row(x + o * len, len, out + o, indices + o);
    });
    return;
  }
  ColumnSplit split(outer, len, inner);
  parallel_for(ctx, split.items, split.min_chunk, [&](size_t i0, size_t i1, int) {
    for (size_t item = i0; item < i1; ++item) {
      size_t o = item / split.tiles_per_row, col = (item % split.tiles_per_row) * kReduceColumnTile;
      size_t width = inner - col < kReduceColumnTile ? inner - col : kReduceColumnTile;
      k.max_columns(x + o * len * inner + col, len, inner, width, out + o * inner + col, indices + o * inner + col);
    }
  });
}

double sum_all(const Context& ctx, const float* x, size_t n) {
  return blocked_sum(ctx, x, n, kernels(ctx).sum_double);
}

double sum_squares(const Context& ctx, const float* x, size_t n) {
  return blocked_sum(ctx, x, n, kernels(ctx).sum_squares_double);
}

}  // namespace dendrite
