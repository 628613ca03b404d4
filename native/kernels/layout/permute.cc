#include "layout/permute.h"

#include <algorithm>
#include <cstring>

namespace dendrite {
namespace {

// A permutation after simplification: output axis i has size size[i] and
// reads the input with stride in_stride[i] (in elements).
struct Plan {
  int rank = 0;
  int64_t size[kMaxPermuteRank];
  int64_t in_stride[kMaxPermuteRank];
};

Plan simplify(const int64_t* shape, const int* perm, int rank) {
  int64_t stride[kMaxPermuteRank];
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; --d) {
    stride[d] = s;
    s *= shape[d];
  }
  Plan p;
  for (int i = 0; i < rank; ++i) {
    int a = perm[i];
    if (shape[a] == 1) continue;  // size-1 axes move nothing
    // Merge with the previous output axis when it is the input axis just before this one.
    if (p.rank > 0 && p.in_stride[p.rank - 1] == stride[a] * shape[a]) {
      p.size[p.rank - 1] *= shape[a];
      p.in_stride[p.rank - 1] = stride[a];
      continue;
    }
    p.size[p.rank] = shape[a];
    p.in_stride[p.rank] = stride[a];
    ++p.rank;
  }
  return p;
}

// Offset into x of the outer output index `flat` (over axes [0, outer_rank)).
int64_t outer_offset(const Plan& p, int outer_rank, int64_t flat) {
  int64_t off = 0;
  for (int d = outer_rank - 1; d >= 0; --d) {
    int64_t i = flat % p.size[d];
    flat /= p.size[d];
    off += i * p.in_stride[d];
  }
  return off;
}

// Work per parallel chunk: enough elements that thread hand-off is negligible.
constexpr size_t kMinChunkElements = size_t{1} << 15;

// The last output axis is contiguous in x: copy runs of size[rank-1].
void copy_runs(const Context& ctx, const float* x, const Plan& p, float* out) {
  int64_t run = p.size[p.rank - 1];
  int outer_rank = p.rank - 1;
  int64_t runs = 1;
  for (int d = 0; d < outer_rank; ++d) runs *= p.size[d];
  size_t min_runs = std::max<size_t>(1, kMinChunkElements / static_cast<size_t>(run));
  parallel_for(ctx, static_cast<size_t>(runs), min_runs, [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) {
      std::memcpy(out + r * run, x + outer_offset(p, outer_rank, static_cast<int64_t>(r)),
                  static_cast<size_t>(run) * sizeof(float));
    }
  });
}

constexpr int64_t kTile = 32;

// The input's unit-stride axis is output axis `q` (< rank-1): for every index
// of the other outer axes, transpose a size[q] x size[rank-1] block in tiles.
void tiled_transpose(const Context& ctx, const float* x, const Plan& p, int q, float* out) {
  int last = p.rank - 1;
  int64_t rows = p.size[q], cols = p.size[last];
  int64_t col_stride = p.in_stride[last];  // input stride of the output's last axis
  // Output stride of axis q.
  int64_t out_q_stride = 1;
  for (int d = q + 1; d < p.rank; ++d) out_q_stride *= p.size[d];
  // Outer items: every index of the output axes other than q and last, times
  // tile rows of axis q (so small outer counts still split across threads).
  int64_t row_tiles = (rows + kTile - 1) / kTile;
  int64_t others = 1;
  for (int d = 0; d < last; ++d)
    if (d != q) others *= p.size[d];
  int64_t items = others * row_tiles;
  size_t tile_elems = static_cast<size_t>(std::min(rows, kTile) * cols);
  size_t min_items = std::max<size_t>(1, kMinChunkElements / std::max<size_t>(1, tile_elems));
  parallel_for(ctx, static_cast<size_t>(items), min_items, [&](size_t i0, size_t i1, int) {
    for (size_t item = i0; item < i1; ++item) {
      int64_t rt = static_cast<int64_t>(item) % row_tiles;
      int64_t other = static_cast<int64_t>(item) / row_tiles;
      // Decode `other` over the axes except q and last, into input and output offsets.
      int64_t in_off = 0, out_off = 0, out_stride = cols;
      for (int d = last - 1; d >= 0; --d) {
        if (d == q) {
          out_stride *= p.size[d];
          continue;
        }
        int64_t i = other % p.size[d];
        other /= p.size[d];
        in_off += i * p.in_stride[d];
        out_off += i * out_stride;
        out_stride *= p.size[d];
      }
      int64_t r0 = rt * kTile, r1 = std::min(rows, r0 + kTile);
      for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
        int64_t c1 = std::min(cols, c0 + kTile);
        for (int64_t r = r0; r < r1; ++r) {
          float* o = out + out_off + r * out_q_stride;
          const float* in = x + in_off + r;
          for (int64_t c = c0; c < c1; ++c) o[c] = in[c * col_stride];
        }
      }
    }
  });
}

}  // namespace

void permute_f32(const Context& ctx, const float* x, const int64_t* shape, const int* perm, int rank,
                 float* out) {
  int64_t total = 1;
  for (int d = 0; d < rank; ++d) total *= shape[d];
  if (total == 0) return;
  Plan p = simplify(shape, perm, rank);
  if (p.rank == 0) {
    out[0] = x[0];
    return;
  }
  if (p.in_stride[p.rank - 1] == 1) {
    copy_runs(ctx, x, p, out);
    return;
  }
  int q = 0;
  while (p.in_stride[q] != 1) ++q;  // some axis has unit stride: the input's innermost
  tiled_transpose(ctx, x, p, q, out);
}

}  // namespace dendrite
