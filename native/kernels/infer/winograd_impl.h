// Winograd F(2×2, 3×3) for inference, written once over a vector type `Ops`
// (ops_*.h) and a micro-tile of MR output channels × NV vectors of tiles.
//
// Per chunk of tiles: the input transform V = Bᵀ·d·B writes, for each of the
// 16 positions ξ and each input channel, a row of the chunk's tiles
// (v [16][c][tiles]); then for each block of NV·kLanes tiles and each
// group of MR output channels, 16 small products M_ξ = U_ξ·V_ξ (depth c)
// land in an L1 buffer, and the output transform Y = Aᵀ·M·A runs on them at
// once, adding the bias, taking the 2×2 max-pool of each tile (a tile is
// exactly one pooling window) and clamping: the convolution's full-size
// output is never written.
//
// The input transform works on rows: an input row's even and odd columns
// are split apart once, after which every tile of a tile row is the same
// few vector adds on shifted loads (tiles in the lanes).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "infer/infer_kernels.h"
#include "infer/micro_tile_impl.h"

namespace dendrite::infer {
namespace {

//   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]
//   Aᵀ = [1 1 1 0; 0 1 −1 −1]
// U = G·g·Gᵀ for every filter g (o·c of them, 9 floats each, in w), kLanes
// filters at a time: position ξ = 4i + j of filter f at u[ξ·u_stride + f].
template <class Ops>
void winograd_filters(const float* w, size_t o, size_t c, float* u, size_t u_stride) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  const size_t filters = o * c;
  const Vec half = Ops::broadcast(0.5f);
  for (size_t f0 = 0; f0 < filters; f0 += L) {
    const size_t n = std::min(L, filters - f0);
    // The filters' taps side by side: lane l of g[k] is tap k of filter f0 + l.
    float taps[9][L];
    for (size_t l = 0; l < L; ++l)
      for (size_t k = 0; k < 9; ++k) taps[k][l] = l < n ? w[(f0 + l) * 9 + k] : 0.0f;
    Vec g[9];
    for (size_t k = 0; k < 9; ++k) g[k] = Ops::load(taps[k]);
    Vec t[4][3];  // G·g
    for (size_t j = 0; j < 3; ++j) {
      t[0][j] = g[j];
      t[1][j] = Ops::mul(half, Ops::add(Ops::add(g[j], g[3 + j]), g[6 + j]));
      t[2][j] = Ops::mul(half, Ops::add(Ops::sub(g[j], g[3 + j]), g[6 + j]));
      t[3][j] = g[6 + j];
    }
    for (size_t i = 0; i < 4; ++i) {  // ·Gᵀ
      const Vec r[4] = {t[i][0], Ops::mul(half, Ops::add(Ops::add(t[i][0], t[i][1]), t[i][2])),
                        Ops::mul(half, Ops::add(Ops::sub(t[i][0], t[i][1]), t[i][2])), t[i][2]};
      for (size_t j = 0; j < 4; ++j) {
        float* dst = u + (4 * i + j) * u_stride + f0;
        if (n == L) {
          Ops::store(dst, r[j]);
        } else {
          Ops::store_first(dst, r[j], n);
        }
      }
    }
  }
}

// The 16 transformed values V = Bᵀ·d·B of kLanes tiles, from the columns of
// their four input rows: x0 … x3[i] hold columns 0 … 3 of row i, tiles in
// the lanes.
template <class Ops>
inline void transform_columns(const typename Ops::Vec* x0, const typename Ops::Vec* x1, const typename Ops::Vec* x2,
                              const typename Ops::Vec* x3, typename Ops::Vec* v) {
  using Vec = typename Ops::Vec;
  // Bᵀ down each column: d0 = r0 − r2, d1 = r1 + r2, d2 = r2 − r1, d3 = r1 − r3.
  const auto bt = [](const Vec* r, Vec* d) {
    d[0] = Ops::sub(r[0], r[2]), d[1] = Ops::add(r[1], r[2]), d[2] = Ops::sub(r[2], r[1]), d[3] = Ops::sub(r[1], r[3]);
  };
  Vec d0[4], d1[4], d2[4], d3[4];
  bt(x0, d0), bt(x1, d1), bt(x2, d2), bt(x3, d3);
  // B across the rows.
  for (size_t i = 0; i < 4; ++i) {
    v[4 * i + 0] = Ops::sub(d0[i], d2[i]);
    v[4 * i + 1] = Ops::add(d1[i], d2[i]);
    v[4 * i + 2] = Ops::sub(d2[i], d1[i]);
    v[4 * i + 3] = Ops::sub(d1[i], d3[i]);
  }
}

// A padded input row split into its even columns (at e) and odd ones (at o):
// a tile's four columns are e[tx], o[tx], e[tx + 1], o[tx + 1].
struct SplitRow {
  const float* e;
  const float* o;
};

// Tiles tx0 .. tx0 + kLanes − 1 of the tile row whose input rows are r[0..3]
// (each read at tx0 and tx0 + kLanes, the offsets it was written at, so the
// loads are served from the stores even before they reach the cache).
template <class Ops>
inline void transform_tiles(const SplitRow* r, size_t tx0, typename Ops::Vec* v) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  Vec x0[4], x1[4], x2[4], x3[4];
  for (size_t i = 0; i < 4; ++i) {
    x0[i] = Ops::load(r[i].e + tx0), x1[i] = Ops::load(r[i].o + tx0);
    x2[i] = Ops::shift_in(x0[i], Ops::load(r[i].e + tx0 + L));
    x3[i] = Ops::shift_in(x1[i], Ops::load(r[i].o + tx0 + L));
  }
  transform_columns<Ops>(x0, x1, x2, x3, v);
}

// Two whole tile rows of `tiles` ≤ kLanes / 2 tiles each in one vector: the
// first in lanes [0, tiles), the next in [tiles, 2·tiles), as they lie in v.
// r[0..5] are the six input rows of the pair.
template <class Ops>
inline void transform_row_pair(const SplitRow* r, const typename Ops::Concat& both, typename Ops::Vec* v) {
  using Vec = typename Ops::Vec;
  Vec x0[4], x1[4], x2[4], x3[4];
  for (size_t i = 0; i < 4; ++i) {
    const Vec e = Ops::load(r[i].e), o = Ops::load(r[i].o), en = Ops::load(r[i + 2].e), on = Ops::load(r[i + 2].o);
    // Column tx + 1 of a row of at most kLanes / 2 tiles is still in the first vector.
    x0[i] = Ops::concat(e, en, both), x1[i] = Ops::concat(o, on, both);
    x2[i] = Ops::concat(Ops::shift_in(e, Ops::zero()), Ops::shift_in(en, Ops::zero()), both);
    x3[i] = Ops::concat(Ops::shift_in(o, Ops::zero()), Ops::shift_in(on, Ops::zero()), both);
  }
  transform_columns<Ops>(x0, x1, x2, x3, v);
}

// v (position ξ, channel c at v + ξ·v_stride + c·v_ld) for the chunk's
// tiles (the caller zeroes the lanes past them).
template <class Ops>
void winograd_input(const WinogradChunk& k) {
  constexpr size_t L = Ops::kLanes;
  using Vec = typename Ops::Vec;
  const Conv2dGeometry& g = *k.g;
  const size_t th = k.tiles_high, tw = k.tiles_wide, per_image = th * tw, cin = g.c;
  const size_t row_floats = winograd_row_floats(tw), half = row_floats / 2, split = round_up(tw + 1, L);
  // Narrow images: two tile rows per vector.
  const bool pairs = 2 * tw <= L;
  const typename Ops::Concat both = Ops::concat_plan(pairs ? tw : 0);
  // Scratch: a row of zeros (for rows in the padding) and six split rows,
  // row r in slot r % 6 (rows are visited in order, and a tile row shares two
  // input rows with the next).
  float* zero = k.rows;
  float* slots = k.rows + row_floats;
  std::fill(k.rows, k.rows + winograd_rows_floats(tw), 0.0f);
  size_t slot_row[6];
  const float* plane = nullptr;
  const std::ptrdiff_t pad_w = static_cast<std::ptrdiff_t>(g.pad_w);
  // Padded row r of the current plane (zeros beside the image row), split.
  const auto row = [&](size_t r) -> SplitRow {
    if (r < g.pad_h || r - g.pad_h >= g.h) return {zero, zero + half};
    float* e = slots + (r % 6) * row_floats;
    if (slot_row[r % 6] != r) {
      const float* src = plane + (r - g.pad_h) * g.w;
      for (size_t t = 0; t < split; t += L) {
        const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(2 * t) - pad_w;
        Vec even, odd;
        Ops::deinterleave(Ops::load_window(src, at, g.w), Ops::load_window(src, at + std::ptrdiff_t(L), g.w), even, odd);
        Ops::store(e + t, even);
        Ops::store(e + half + t, odd);
      }
      slot_row[r % 6] = r;
    }
    return {e, e + half};
  };
  // Stores lanes [first, first + count) of the 16 values to tile `tile` of the chunk onwards.
  const auto store = [&](const Vec* v, size_t c, size_t tile, size_t first, size_t count) {
    float* dst = k.v + c * k.v_ld + tile;
    for (size_t xi = 0; xi < 16; ++xi) {
      if (first == 0 && count == L) {
        Ops::store(dst + xi * k.v_stride, v[xi]);
      } else {
        Ops::store_lanes(dst + xi * k.v_stride, v[xi], first, count);
      }
    }
  };
  const size_t first_image = k.t0 / per_image, last_image = (k.t1 - 1) / per_image;
  for (size_t n = first_image; n <= last_image; ++n) {
    const size_t base = n * per_image;
    const size_t ty_a = n == first_image ? (k.t0 - base) / tw : 0;
    const size_t ty_b = n == last_image ? (k.t1 - 1 - base) / tw : th - 1;
    for (size_t c = 0; c < cin; ++c) {
      plane = k.x + (n * cin + c) * g.h * g.w;
      for (size_t& r : slot_row) r = SIZE_MAX;
      // The next plane is read while this one is transformed: ask for it now
      // (measured: the row loads wait on memory otherwise).
      if (c + 1 < cin || n < last_image) {
        for (size_t at = 0; at < g.h * g.w; at += 16) prefetch(plane + g.h * g.w + at);
      }
      for (size_t ty = ty_a; ty <= ty_b;) {
        const size_t g0 = base + ty * tw;
        const size_t lo = std::max(g0, k.t0) - g0, hi = std::min(g0 + tw, k.t1) - g0;
        SplitRow r[6];
        if (pairs && ty < ty_b && g0 >= k.t0 && g0 + 2 * tw <= k.t1) {
          for (size_t i = 0; i < 6; ++i) r[i] = row(2 * ty + i);
          Vec v[16];
          transform_row_pair<Ops>(r, both, v);
          store(v, c, g0 - k.t0, 0, 2 * tw);
          ty += 2;
          continue;
        }
        for (size_t i = 0; i < 4; ++i) r[i] = row(2 * ty + i);
        for (size_t tx0 = lo / L * L; tx0 < hi; tx0 += L) {
          Vec v[16];
          transform_tiles<Ops>(r, tx0, v);
          const size_t a = std::max(tx0, lo), b = std::min(tx0 + L, hi);
          store(v, c, g0 + a - k.t0, a - tx0, b - a);
        }
        ++ty;
      }
    }
  }
}

// Consecutive lanes of a block whose outputs lie side by side: with fused
// pooling, one stretch of a pooled plane; otherwise one tile row's tiles.
struct TileRun {
  size_t lane, count, image, ty, tx;
};

// The runs of lanes [0, valid) of the block starting at chunk tile `first`;
// returns how many.
inline size_t tile_runs(const WinogradChunk& k, size_t first, size_t valid, size_t pooled_h, size_t pooled_w,
                        TileRun* runs) {
  const size_t tw = k.tiles_wide, per_image = k.tiles_high * tw;
  size_t count = 0;
  for (size_t l = 0; l < valid; ++l) {
    const size_t t = k.t0 + first + l, n = t / per_image, ty = (t % per_image) / tw, tx = t % tw;
    if (k.fuse_pool && (ty >= pooled_h || tx >= pooled_w)) continue;  // half a pooling window: dropped
    if (count > 0) {
      TileRun& r = runs[count - 1];
      const bool adjacent = r.lane + r.count == l && r.image == n;
      // A pooled plane is row-major over the tiles it keeps, so its runs may cross tile rows.
      const bool beside = k.fuse_pool ? ty * pooled_w + tx == r.ty * pooled_w + r.tx + r.count
                                      : ty == r.ty && tx == r.tx + r.count;
      if (adjacent && beside) {
        ++r.count;
        continue;
      }
    }
    runs[count++] = TileRun{l, 1, n, ty, tx};
  }
  return count;
}

template <class Ops, size_t MR, size_t NV>
void winograd_output(const WinogradChunk& k, size_t c0, size_t rows, const TileRun* runs, size_t run_count,
                     size_t pooled_h, size_t pooled_w) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes, NR = NV * L;
  const Conv2dGeometry& g = *k.g;
  for (size_t i = 0; i < rows; ++i) {
    const size_t co = c0 + i;
    const Vec bias = Ops::broadcast(k.bias != nullptr ? k.bias[co] : 0.0f);
    for (size_t j = 0; j < NV; ++j) {
      Vec mv[16];
      for (size_t xi = 0; xi < 16; ++xi) mv[xi] = Ops::load(k.m + (xi * MR + i) * NR + j * L);
      // Aᵀ down the columns, then A across the rows.
      Vec s0[4], s1[4];
      for (size_t c = 0; c < 4; ++c) {
        s0[c] = Ops::add(Ops::add(mv[c], mv[4 + c]), mv[8 + c]);
        s1[c] = Ops::sub(Ops::sub(mv[4 + c], mv[8 + c]), mv[12 + c]);
      }
      Vec y[4];
      y[0] = Ops::add(Ops::add(s0[0], s0[1]), s0[2]);
      y[1] = Ops::sub(Ops::sub(s0[1], s0[2]), s0[3]);
      y[2] = Ops::add(Ops::add(s1[0], s1[1]), s1[2]);
      y[3] = Ops::sub(Ops::sub(s1[1], s1[2]), s1[3]);
      if (k.fuse_pool) {
        Vec r = Ops::add(Ops::max(Ops::max(y[0], y[1]), Ops::max(y[2], y[3])), bias);
        if (k.relu) r = Ops::max(Ops::zero(), r);
        const size_t v0 = j * L;
        for (size_t q = 0; q < run_count; ++q) {
          const TileRun& run = runs[q];
          const size_t lo = std::max(run.lane, v0), hi = std::min(run.lane + run.count, v0 + L);
          if (lo >= hi) continue;
          float* dst = k.out + ((run.image * g.o + co) * pooled_h + run.ty) * pooled_w + run.tx + (lo - run.lane);
          if (hi - lo == L) {
            Ops::store(dst, r);
          } else {
            Ops::store_lanes(dst, r, lo - v0, hi - lo);
          }
        }
        continue;
      }
      for (size_t q = 0; q < 4; ++q) {
        Vec r = Ops::add(y[q], bias);
        if (k.relu) r = Ops::max(Ops::zero(), r);
        Ops::store(k.m + 16 * MR * NR + q * NR + j * L, r);
      }
    }
    if (k.fuse_pool) continue;
    const float* temp = k.m + 16 * MR * NR;
    // Each tile's 2×2 outputs to their places, leaving out those past the edge.
    for (size_t q = 0; q < run_count; ++q) {
      const TileRun& run = runs[q];
      const size_t oy = 2 * run.ty;
      float* top = k.out + ((run.image * g.o + co) * g.oh + oy) * g.ow;
      const bool bottom = oy + 1 < g.oh;
      for (size_t l = run.lane; l < run.lane + run.count; ++l) {
        const size_t ox = 2 * (run.tx + l - run.lane);
        const bool right = ox + 1 < g.ow;
        top[ox] = temp[l];
        if (right) top[ox + 1] = temp[NR + l];
        if (bottom) {
          top[g.ow + ox] = temp[2 * NR + l];
          if (right) top[g.ow + ox + 1] = temp[3 * NR + l];
        }
      }
    }
  }
}

template <class Ops, size_t MR, size_t NV>
void winograd_chunk(const WinogradChunk& k) {
  constexpr size_t NR = NV * Ops::kLanes;
  const Conv2dGeometry& g = *k.g;
  winograd_input<Ops>(k);
  const size_t count = k.t1 - k.t0, cin = g.c, o = g.o, padded = round_up(count, NR);
  for (size_t xi = 0; xi < 16; ++xi)
    for (size_t c = 0; c < cin; ++c) std::fill_n(k.v + xi * k.v_stride + c * k.v_ld + count, padded - count, 0.0f);
  const size_t pooled_h = k.fuse_pool ? g.oh / 2 : 0, pooled_w = k.fuse_pool ? g.ow / 2 : 0;
  TileRun runs[NR];
  for (size_t first = 0; first < count; first += NR) {
    const size_t run_count = tile_runs(k, first, std::min(NR, count - first), pooled_h, pooled_w, runs);
    for (size_t c0 = 0; c0 < o; c0 += MR) {
      for (size_t xi = 0; xi < 16; ++xi) {
        micro_tile<Ops, MR, NV>(cin, k.u + xi * k.u_stride + c0 * cin, cin, k.v + xi * k.v_stride + first, k.v_ld,
                                    k.m + xi * MR * NR);
      }
      if (run_count > 0) winograd_output<Ops, MR, NV>(k, c0, std::min(MR, o - c0), runs, run_count, pooled_h, pooled_w);
    }
  }
}

}  // namespace
}  // namespace dendrite::infer
