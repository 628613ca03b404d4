#include "upsample/upsample_backward.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "pool/for_each_plane.h"

namespace dendrite {
namespace {

// For each input column, the output columns that read it and their weights,
// in output order (compressed rows: input column ix owns entries
// [begin[ix], begin[ix + 1])).
struct ColumnReaders {
  std::vector<size_t> begin, column;
  std::vector<float> weight;
};

ColumnReaders column_readers(const std::vector<LinearTap>& tx, size_t w, bool two_taps) {
  ColumnReaders r;
  r.begin.assign(w + 1, 0);
  for (const LinearTap& t : tx) {
    ++r.begin[t.i0 + 1];
    if (two_taps) ++r.begin[t.i1 + 1];
  }
  for (size_t ix = 0; ix < w; ++ix) r.begin[ix + 1] += r.begin[ix];
  r.column.resize(r.begin[w]);
  r.weight.resize(r.begin[w]);
  std::vector<size_t> next(r.begin.begin(), r.begin.end() - 1);
  auto place = [&](size_t ix, size_t ox, float weight) {
    r.column[next[ix]] = ox;
    r.weight[next[ix]++] = weight;
  };
  for (size_t ox = 0; ox < tx.size(); ++ox) {
    place(tx[ox].i0, ox, tx[ox].l0);
    if (two_taps) place(tx[ox].i1, ox, tx[ox].l1);
  }
  return r;
}

// dst[ix] = Σ of acc over the output columns that read input column ix, weighted.
void fold_columns(const ColumnReaders& r, const float* acc, float* dst, size_t w) {
  for (size_t ix = 0; ix < w; ++ix) {
    float sum = 0.0f;
    for (size_t k = r.begin[ix]; k < r.begin[ix + 1]; ++k) sum += r.weight[k] * acc[r.column[k]];
    dst[ix] = sum;
  }
}

// acc[i] += weight·g[i]: a contiguous loop the compiler vectorises.
void add_scaled(float* acc, const float* g, float weight, size_t n) {
  for (size_t i = 0; i < n; ++i) acc[i] += weight * g[i];
}

}  // namespace

void resize_backward(const Context& ctx, const Upsample2dGeometry& g, const std::vector<LinearTap>& ty,
                     const std::vector<LinearTap>& tx, bool two_taps, const float* gy, float* gx) {
  const ColumnReaders readers = column_readers(tx, g.w, two_taps);
  const size_t in = g.input_plane(), on = g.output_plane(), ow = g.ow;
  for_each_plane_range(ctx, g.planes(), in + on, [&](size_t p0, size_t p1) {
    std::vector<float> scratch(2 * ow);
    for (size_t p = p0; p < p1; ++p) {
      float* plane = gx + p * in;
      const float* grad = gy + p * on;
      // acc[0] gathers input row `row`, acc[1] the row below it.
      float* acc[2] = {scratch.data(), scratch.data() + ow};
      std::fill(scratch.begin(), scratch.end(), 0.0f);
      size_t row = 0;
      auto finish_row = [&] {
        fold_columns(readers, acc[0], plane + row * g.w, g.w);
        std::swap(acc[0], acc[1]);
        std::fill(acc[1], acc[1] + ow, 0.0f);
        ++row;
      };
      for (size_t oy = 0; oy < g.oh; ++oy) {
        const LinearTap& t = ty[oy];
        while (row < t.i0) finish_row();  // source rows never decrease down the output
        add_scaled(acc[0], grad + oy * ow, t.l0, ow);
        if (two_taps) add_scaled(acc[t.i1 - row], grad + oy * ow, t.l1, ow);
      }
      while (row < g.h) finish_row();
    }
  });
}

}  // namespace dendrite
