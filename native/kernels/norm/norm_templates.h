// The normalization kernels of norm_kernels.h, written once over an ISA's
// vector operations (norm_ops_<isa>.h) and instantiated by norm_<isa>.cc.
// Sums are accumulated in double lanes; partial vectors at the ends of spans
// go through the same arithmetic with masked loads and stores, their unused
// lanes filled so that they add nothing.
#pragma once

#include <cstddef>

#include "norm/moments.h"
#include "norm/norm_kernels.h"

namespace dendrite::norm {
// Internal linkage: each ISA's translation unit has its own copies.
namespace {

inline size_t lanes_left(size_t len, size_t i, size_t lanes) { return len - i < lanes ? len - i : lanes; }

// body(i, count) for the vectors of [0, len): count is Ops::kLanes, a constant
// the compiler folds so whole vectors take plain loads and stores, except for
// a last, partial vector.
template <class Ops, class Body>
inline void for_each_vector(size_t len, Body&& body) {
  size_t i = 0;
  for (; i + Ops::kLanes <= len; i += Ops::kLanes) body(i, Ops::kLanes);
  if (i < len) body(i, len - i);
}

template <class Ops>
Moments span_moments(const float* x, size_t len) {
  using Wide = typename Ops::Wide;
  constexpr size_t L = Ops::kLanes;
  const auto shift = Ops::broadcast(x[0]);
  const Wide wide_shift = Ops::widen(shift);
  Wide sum0 = Ops::wide_zero(), sum1 = sum0, sq0 = sum0, sq1 = sum0;
  size_t i = 0;
  for (; i + 2 * L <= len; i += 2 * L) {
    const Wide d0 = Ops::wide_sub(Ops::widen(Ops::load(x + i)), wide_shift);
    const Wide d1 = Ops::wide_sub(Ops::widen(Ops::load(x + i + L)), wide_shift);
    sum0 = Ops::wide_add(sum0, d0);
    sum1 = Ops::wide_add(sum1, d1);
    sq0 = Ops::wide_fma(d0, d0, sq0);
    sq1 = Ops::wide_fma(d1, d1, sq1);
  }
  for (; i < len; i += L) {
    // Missing lanes hold the shift itself, so they add 0 to both sums.
    const Wide d = Ops::wide_sub(Ops::widen(Ops::load_first(x + i, lanes_left(len, i, L), shift)), wide_shift);
    sum0 = Ops::wide_add(sum0, d);
    sq0 = Ops::wide_fma(d, d, sq0);
  }
  return moments_from_shifted_sums(static_cast<double>(len), x[0], Ops::wide_sum(Ops::wide_add(sum0, sum1)),
                                   Ops::wide_sum(Ops::wide_add(sq0, sq1)));
}

template <class Ops>
void span_grad_sums(const float* x, const float* gy, size_t len, float mean, double* sums) {
  using Wide = typename Ops::Wide;
  const auto m = Ops::broadcast(mean);
  const Wide wide_mean = Ops::widen(m);
  Wide sum = Ops::wide_zero(), dot = sum;
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    const Wide g = Ops::widen(Ops::load_first(gy + i, n, Ops::zero()));
    const Wide centered = Ops::wide_sub(Ops::widen(Ops::load_first(x + i, n, m)), wide_mean);
    sum = Ops::wide_add(sum, g);
    dot = Ops::wide_fma(g, centered, dot);
  });
  sums[0] = Ops::wide_sum(sum);
  sums[1] = Ops::wide_sum(dot);
}

template <class Ops>
void span_normalize(const float* x, size_t len, float mean, float scale, float shift, float* y) {
  constexpr size_t L = Ops::kLanes;
  const auto m = Ops::broadcast(mean), s = Ops::broadcast(scale), t = Ops::broadcast(shift);
  size_t i = 0;
  for (; i + L <= len; i += L) Ops::store(y + i, Ops::fma(Ops::sub(Ops::load(x + i), m), s, t));
  if (i < len) {
    const size_t n = len - i;
    Ops::store_first(y + i, Ops::fma(Ops::sub(Ops::load_first(x + i, n, m), m), s, t), n);
  }
}

template <class Ops>
void span_input_grad(const float* x, const float* gy, size_t len, float a, float mean, float b, float c, float* gx) {
  const auto va = Ops::broadcast(a), m = Ops::broadcast(mean), vb = Ops::broadcast(b), vc = Ops::broadcast(c);
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    const auto g = Ops::load_first(gy + i, n, Ops::zero()), v = Ops::load_first(x + i, n, m);
    Ops::store_first(gx + i, Ops::fma(va, g, Ops::fma(vb, Ops::sub(v, m), vc)), n);
  });
}

// Vectors in a column tile.
template <class Ops>
constexpr size_t kTileVectors = kNormColumnTile / Ops::kLanes;

// The vectors a tile of `width` columns spans, and how many of each one's lanes are columns.
template <class Ops>
struct ColumnTile {
  using Vec = typename Ops::Vec;
  size_t vectors;
  size_t used[kTileVectors<Ops>];

  explicit ColumnTile(size_t width) : vectors((width + Ops::kLanes - 1) / Ops::kLanes) {
    for (size_t v = 0; v < vectors; ++v) used[v] = lanes_left(width, v * Ops::kLanes, Ops::kLanes);
  }
  // Vector v of a row; lanes past the tile hold `fill`.
  Vec load(const float* row, size_t v, Vec fill) const { return Ops::load_first(row + v * Ops::kLanes, used[v], fill); }
  // The lanes of every vector's sums, one per column (and past the tile, up to kNormColumnTile).
  void store(double* out, const typename Ops::Wide* sums) const {
    for (size_t v = 0; v < vectors; ++v) Ops::wide_store(out + v * Ops::kLanes, sums[v]);
  }
};

template <class Ops>
void column_moments(const float* x, size_t rows, size_t stride, size_t width, Moments* out) {
  using Wide = typename Ops::Wide;
  const ColumnTile<Ops> tile(width);
  typename Ops::Vec shift[kTileVectors<Ops>];
  Wide wide_shift[kTileVectors<Ops>], sum[kTileVectors<Ops>], sq[kTileVectors<Ops>];
  for (size_t v = 0; v < tile.vectors; ++v) {
    shift[v] = tile.load(x, v, Ops::zero());
    wide_shift[v] = Ops::widen(shift[v]);
    sum[v] = sq[v] = Ops::wide_zero();
  }
  // Row 0 is the shift: it adds nothing.
  for (size_t r = 1; r < rows; ++r) {
    for (size_t v = 0; v < tile.vectors; ++v) {
      const Wide d = Ops::wide_sub(Ops::widen(tile.load(x + r * stride, v, shift[v])), wide_shift[v]);
      sum[v] = Ops::wide_add(sum[v], d);
      sq[v] = Ops::wide_fma(d, d, sq[v]);
    }
  }
  double sums[kNormColumnTile], squares[kNormColumnTile];
  tile.store(sums, sum);
  tile.store(squares, sq);
  for (size_t j = 0; j < width; ++j) out[j] = moments_from_shifted_sums(static_cast<double>(rows), x[j], sums[j], squares[j]);
}

template <class Ops>
void column_grad_sums(const float* x, const float* gy, size_t rows, size_t stride, size_t width, const float* mean,
                      double* sum_gy, double* sum_gy_centered) {
  using Wide = typename Ops::Wide;
  const ColumnTile<Ops> tile(width);
  typename Ops::Vec m[kTileVectors<Ops>];
  Wide wide_mean[kTileVectors<Ops>], sum[kTileVectors<Ops>], dot[kTileVectors<Ops>];
  for (size_t v = 0; v < tile.vectors; ++v) {
    m[v] = tile.load(mean, v, Ops::zero());
    wide_mean[v] = Ops::widen(m[v]);
    sum[v] = dot[v] = Ops::wide_zero();
  }
  for (size_t r = 0; r < rows; ++r) {
    for (size_t v = 0; v < tile.vectors; ++v) {
      const Wide g = Ops::widen(tile.load(gy + r * stride, v, Ops::zero()));
      const Wide centered = Ops::wide_sub(Ops::widen(tile.load(x + r * stride, v, m[v])), wide_mean[v]);
      sum[v] = Ops::wide_add(sum[v], g);
      dot[v] = Ops::wide_fma(g, centered, dot[v]);
    }
  }
  double sums[kNormColumnTile], dots[kNormColumnTile];
  tile.store(sums, sum);
  tile.store(dots, dot);
  for (size_t j = 0; j < width; ++j) sum_gy[j] = sums[j], sum_gy_centered[j] = dots[j];
}

template <class Ops>
void row_normalize(const float* x, size_t len, const float* mean, const float* scale, const float* shift, float* y) {
  const auto zero = Ops::zero();
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    const auto v = Ops::sub(Ops::load_first(x + i, n, zero), Ops::load_first(mean + i, n, zero));
    Ops::store_first(y + i, Ops::fma(v, Ops::load_first(scale + i, n, zero), Ops::load_first(shift + i, n, zero)), n);
  });
}

template <class Ops>
void row_input_grad(const float* x, const float* gy, size_t len, const float* a, const float* mean, const float* b,
                    const float* c, float* gx) {
  const auto zero = Ops::zero();
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    const auto centered = Ops::sub(Ops::load_first(x + i, n, zero), Ops::load_first(mean + i, n, zero));
    const auto rest = Ops::fma(Ops::load_first(b + i, n, zero), centered, Ops::load_first(c + i, n, zero));
    Ops::store_first(gx + i, Ops::fma(Ops::load_first(a + i, n, zero), Ops::load_first(gy + i, n, zero), rest), n);
  });
}

template <class Ops>
void layer_norm_row(const float* x, size_t len, float mean, float invstd, const float* w, const float* b, float* y) {
  const auto m = Ops::broadcast(mean), s = Ops::broadcast(invstd), one = Ops::broadcast(1.0f), zero = Ops::zero();
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    const auto normalized = Ops::mul(Ops::sub(Ops::load_first(x + i, n, m), m), s);
    const auto scale = w != nullptr ? Ops::load_first(w + i, n, one) : one;
    const auto shift = b != nullptr ? Ops::load_first(b + i, n, zero) : zero;
    Ops::store_first(y + i, Ops::fma(normalized, scale, shift), n);
  });
}

template <class Ops>
void layer_norm_row_sums(const float* x, const float* gy, const float* w, size_t len, float mean, float invstd,
                         double* sums) {
  using Wide = typename Ops::Wide;
  const auto m = Ops::broadcast(mean), s = Ops::broadcast(invstd), one = Ops::broadcast(1.0f), zero = Ops::zero();
  Wide sum = Ops::wide_zero(), dot = sum;
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    auto g = Ops::load_first(gy + i, n, zero);
    if (w != nullptr) g = Ops::mul(g, Ops::load_first(w + i, n, one));
    const auto normalized = Ops::mul(Ops::sub(Ops::load_first(x + i, n, m), m), s);
    const Wide wide_g = Ops::widen(g);
    sum = Ops::wide_add(sum, wide_g);
    dot = Ops::wide_fma(wide_g, Ops::widen(normalized), dot);
  });
  sums[0] = Ops::wide_sum(sum);
  sums[1] = Ops::wide_sum(dot);
}

template <class Ops>
void layer_norm_row_backward(const float* x, const float* gy, const float* w, size_t len, float mean, float invstd,
                             float c1, float c2, float* gx, float* gw, float* gb) {
  const auto m = Ops::broadcast(mean), s = Ops::broadcast(invstd), one = Ops::broadcast(1.0f), zero = Ops::zero();
  const auto vc1 = Ops::broadcast(c1), vc2 = Ops::broadcast(c2);
  for_each_vector<Ops>(len, [&](size_t i, size_t n) {
    const auto g = Ops::load_first(gy + i, n, zero);
    const auto normalized = Ops::mul(Ops::sub(Ops::load_first(x + i, n, m), m), s);
    if (gx != nullptr) {
      const auto scaled = w != nullptr ? Ops::mul(g, Ops::load_first(w + i, n, one)) : g;
      Ops::store_first(gx + i, Ops::mul(s, Ops::sub(scaled, Ops::fma(normalized, vc2, vc1))), n);
    }
    if (gw != nullptr) Ops::store_first(gw + i, Ops::fma(g, normalized, Ops::load_first(gw + i, n, zero)), n);
    if (gb != nullptr) Ops::store_first(gb + i, Ops::add(g, Ops::load_first(gb + i, n, zero)), n);
  });
}

template <class Ops>
const NormKernels& norm_kernels_for() {
  static const NormKernels table{
      span_moments<Ops>,         span_grad_sums<Ops>,          span_normalize<Ops>,
      span_input_grad<Ops>,      column_moments<Ops>,          column_grad_sums<Ops>,
      row_normalize<Ops>,        row_input_grad<Ops>,          layer_norm_row<Ops>,
      layer_norm_row_sums<Ops>,  layer_norm_row_backward<Ops>,
  };
  return table;
}

}  // namespace
}  // namespace dendrite::norm
