// The Winograd F(2×2, 3×3) tile transforms, written once over a vector type
// (Ops: ScalarOps, Avx2Ops or Avx512Ops) and instantiated in one file per ISA.
// Layouts and argument meanings: winograd_kernels.h.
//
//   input:   V = Bᵀ·d·B,  Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   (d: 4×4 window)
//   output:  y = Aᵀ·M·A,  Aᵀ = [1 1 1 0; 0 1 −1 −1]                     (y: 2×2 tile)
//   output gradient back to M:  A·dy·Aᵀ
// All three only add and subtract, so they cost a few vector operations per
// value; moving tiles in and out of NCHW planes is what they mostly spend:
// windows are gathered (on AVX-512 loaded a row at a time and permuted), and
// outputs are stored as runs of tiles that sit side by side in one tile row
// (a scatter per output pixel cost twice as much). Offsets fit 32 bits:
// winograd_geometry_fits bounds the batch.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "conv/winograd_kernels.h"

namespace dendrite::winograd {
// Internal linkage: each ISA's file compiles its own copy with its own
// instruction flags, and the linker must never swap one for another.
namespace {

// Image, tile row and tile column of tile t, stepped through the tiles in
// order without dividing.
struct TileCursor {
  const TileGrid& g;
  size_t n, ty, tx;
  TileCursor(const TileGrid& grid, size_t t) : g(grid) {
    n = t / g.per_image;
    const size_t r = t % g.per_image;
    ty = r / g.tiles_w, tx = r % g.tiles_w;
  }
  void next() {
    if (++tx < g.tiles_w) return;
    tx = 0;
    if (++ty < g.tiles_h) return;
    ty = 0, ++n;
  }
};

// Where the 4×4 input windows of L consecutive tiles sit: per lane, the
// offset of the window's top-left pixel (2·ty − 1, 2·tx − 1) in an NCHW batch
// whose images are image_stride floats apart, and which of its rows and columns fall inside the
// plane. Lanes at or past `count` are in no row or column.
template <size_t L>
struct InputWindows {
  int32_t origin[L];
  uint32_t row_in[4] = {0, 0, 0, 0};
  uint32_t col_in[4] = {0, 0, 0, 0};

  InputWindows(const TileGrid& g, size_t t0, size_t count, size_t image_stride) {
    TileCursor at(g, t0);
    for (size_t l = 0; l < L; ++l, at.next()) {
      origin[l] = 0;
      if (l >= count) continue;
      const long y0 = 2 * long(at.ty) - 1, x0 = 2 * long(at.tx) - 1;
      origin[l] = static_cast<int32_t>(long(at.n * image_stride) + y0 * long(g.w) + x0);
      for (size_t i = 0; i < 4; ++i) {
        if (y0 + long(i) >= 0 && y0 + long(i) < long(g.h)) row_in[i] |= 1u << l;
        if (x0 + long(i) >= 0 && x0 + long(i) < long(g.w)) col_in[i] |= 1u << l;
      }
    }
  }
};

// Where the 2×2 outputs of L consecutive tiles go, as runs of tiles in one
// tile row: a run's tiles fill `floats` pixels side by side in each of its
// two image rows (one fewer than twice its tiles when it ends at an odd edge),
// the first at `origin` in an NCHW batch whose images are image_stride floats apart.
template <size_t L>
struct OutputRuns {
  struct Run {
    size_t first_lane, floats;
    size_t origin;
    bool second_row;  // false when the tile row hangs over an odd bottom edge
  };
  Run run[L];
  size_t runs = 0;

  OutputRuns(const TileGrid& g, size_t t0, size_t count, size_t image_stride) {
    TileCursor at(g, t0);
    for (size_t l = 0; l < count; ++l, at.next()) {
      if (l == 0 || at.tx == 0) {
        run[runs++] = Run{l, 0, at.n * image_stride + 2 * at.ty * g.w + 2 * at.tx, 2 * at.ty + 1 < g.h};
      }
      run[runs - 1].floats += 2 * at.tx + 1 < g.w ? 2 : 1;
    }
  }
};

// v = Bᵀ·d·B on 16 vectors, d[4·i + j] → v[4·i + j] (v may alias d).
template <class Ops>
inline void input_transform(const typename Ops::Vec* d, typename Ops::Vec* v) {
  using Vec = typename Ops::Vec;
  Vec e[16];
  for (size_t j = 0; j < 4; ++j) {  // rows: Bᵀ·d
    e[0 + j] = Ops::sub(d[0 + j], d[8 + j]);
    e[4 + j] = Ops::add(d[4 + j], d[8 + j]);
    e[8 + j] = Ops::sub(d[8 + j], d[4 + j]);
    e[12 + j] = Ops::sub(d[4 + j], d[12 + j]);
  }
  for (size_t i = 0; i < 16; i += 4) {  // columns: (Bᵀ·d)·B
    v[i + 0] = Ops::sub(e[i + 0], e[i + 2]);
    v[i + 1] = Ops::add(e[i + 1], e[i + 2]);
    v[i + 2] = Ops::sub(e[i + 2], e[i + 1]);
    v[i + 3] = Ops::sub(e[i + 1], e[i + 3]);
  }
}

// The windows of L consecutive tiles as runs of at most 7 neighbours in one
// tile row: a run's windows together span 2·k + 2 ≤ 16 columns of each of
// their 4 image rows, one vector load per row, from which each window column
// is a permutation. Loads mask out the columns past either edge.
template <size_t L>
struct WindowRuns {
  static constexpr size_t kMostTiles = 7;
  struct Run {
    uint32_t lanes = 0;    // the run's lanes
    uint32_t columns = 0;  // the span's columns inside the plane
    uint32_t rows_in = 0;  // the window rows inside the plane
    long origin = 0;       // offset of the span's top-left pixel (may be −w − 1)
    int32_t column_of[L];  // per lane, its window's first column in the span
  };
  Run run[L];
  size_t runs = 0;

  WindowRuns(const TileGrid& g, size_t t0, size_t count, size_t image_stride) {
    TileCursor at(g, t0);
    size_t tiles = 0;
    for (size_t l = 0; l < count; ++l, at.next()) {
      if (l == 0 || at.tx == 0 || tiles == kMostTiles) {
        Run& r = run[runs++];
        const long y0 = 2 * long(at.ty) - 1, x0 = 2 * long(at.tx) - 1;
        r.origin = long(at.n * image_stride) + y0 * long(g.w) + x0;
        for (long i = 0; i < 4; ++i) {
          if (y0 + i >= 0 && y0 + i < long(g.h)) r.rows_in |= 1u << i;
        }
        for (long e = 0; e < 16; ++e) {
          if (x0 + e >= 0 && x0 + e < long(g.w)) r.columns |= 1u << e;
        }
        for (size_t k = 0; k < L; ++k) r.column_of[k] = 0;
        tiles = 0;
      }
      Run& r = run[runs - 1];
      r.lanes |= 1u << l;
      r.column_of[l] = static_cast<int32_t>(2 * tiles++);
    }
  }
};

// Loaders of the 16 window values d[4·i + j] of L consecutive tiles in one
// channel (0 outside the plane and in lanes at or past `count`).
//
// By gathers, one per window position.
template <class Ops>
struct GatherWindows {
  using Vec = typename Ops::Vec;
  GatherWindows(const TileGrid& grid, size_t t0, size_t count, size_t image_stride) : g(grid) {
    const InputWindows<Ops::kLanes> lanes(g, t0, count, image_stride);
    for (size_t i = 0; i < 4; ++i) {
      for (size_t j = 0; j < 4; ++j) in[4 * i + j] = Ops::mask(lanes.row_in[i] & lanes.col_in[j]);
    }
    origin = Ops::indices(lanes.origin);
  }
  void load(const float* x, size_t c, Vec* d) const {
    const int32_t w = static_cast<int32_t>(g.w);
    const typename Ops::Idx at = Ops::offset(origin, static_cast<int32_t>(c * g.plane()));
    for (int32_t i = 0; i < 4; ++i) {
      for (int32_t j = 0; j < 4; ++j) d[4 * i + j] = Ops::gather(x, Ops::offset(at, i * w + j), in[4 * i + j]);
    }
  }
  const TileGrid& g;
  typename Ops::Mask in[16];
  typename Ops::Idx origin;
};

// By one masked row load per run and window row, and a permutation per
// window column (Ops::kLoadsRows: AVX-512, where this is 3-4× cheaper than gathers).
template <class Ops>
struct RowWindows {
  using Vec = typename Ops::Vec;
  RowWindows(const TileGrid& grid, size_t t0, size_t count, size_t image_stride)
      : g(grid), runs(grid, t0, count, image_stride) {
    for (size_t r = 0; r < runs.runs; ++r) {
      const typename Ops::Idx first = Ops::indices(runs.run[r].column_of);
      for (int32_t j = 0; j < 4; ++j) column[r][j] = Ops::offset(first, j);
    }
  }
  void load(const float* x, size_t c, Vec* d) const {
    const long plane = long(g.plane()), w = long(g.w);
    for (size_t e = 0; e < 16; ++e) d[e] = Ops::zero();
    for (size_t r = 0; r < runs.runs; ++r) {
      const auto& run = runs.run[r];
      for (long i = 0; i < 4; ++i) {
        if (!((run.rows_in >> i) & 1u)) continue;
        const Vec span = Ops::load_masked(x, run.origin + long(c) * plane + i * w, run.columns);
        for (size_t j = 0; j < 4; ++j) d[4 * i + j] = Ops::permute_into(d[4 * i + j], run.lanes, column[r][j], span);
      }
    }
  }
  const TileGrid& g;
  WindowRuns<Ops::kLanes> runs;
  typename Ops::Idx column[Ops::kLanes][4];
};

template <class Ops>
using WindowLoader = std::conditional_t<Ops::kLoadsRows, RowWindows<Ops>, GatherWindows<Ops>>;

template <class Ops>
void input_to_panels(const TileGrid& g, const float* x, size_t channels, size_t image_stride, size_t t0,
                     size_t count, size_t nr, float* v) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  const size_t panels = count / nr, per_position = position_stride(panels * channels * nr);
  const size_t valid = std::min(count, g.tiles - t0);
  for (size_t g0 = 0; g0 < count; g0 += L) {
    const WindowLoader<Ops> windows(g, t0 + g0, valid > g0 ? std::min(L, valid - g0) : 0, image_stride);
    float* dst = v + (g0 / nr) * channels * nr + g0 % nr;
    for (size_t c = 0; c < channels; ++c) {
      Vec d[16];
      windows.load(x, c, d);
      input_transform<Ops>(d, d);
      for (size_t xi = 0; xi < kPositions; ++xi) Ops::store(dst + xi * per_position + c * nr, d[xi]);
    }
  }
}

template <class Ops>
void panel_to_output(const TileGrid& g, const float* m, size_t mr, size_t nr, size_t rows, size_t o0,
                     size_t image_stride, size_t t0, size_t cols, const float* bias, float* y) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  for (size_t g0 = 0; g0 < cols; g0 += L) {
    const OutputRuns<L> out(g, t0 + g0, std::min(L, cols - g0), image_stride);
    for (size_t r = 0; r < rows; ++r) {
      const float* src = m + r * nr + g0;
      Vec s[16];
      for (size_t xi = 0; xi < kPositions; ++xi) s[xi] = Ops::load(src + xi * mr * nr);
      Vec top[4], bottom[4];  // Aᵀ·M
      for (size_t j = 0; j < 4; ++j) {
        top[j] = Ops::add(Ops::add(s[0 + j], s[4 + j]), s[8 + j]);
        bottom[j] = Ops::sub(Ops::sub(s[4 + j], s[8 + j]), s[12 + j]);
      }
      const Vec b = Ops::broadcast(bias != nullptr ? bias[o0 + r] : 0.0f);
      // Each image row of a run alternates the tiles' left and right pixels.
      const typename Ops::Pairs upper = Ops::interleave(Ops::add(Ops::add(Ops::add(top[0], top[1]), top[2]), b),
                                                        Ops::add(Ops::sub(Ops::sub(top[1], top[2]), top[3]), b));
      const typename Ops::Pairs lower =
          Ops::interleave(Ops::add(Ops::add(Ops::add(bottom[0], bottom[1]), bottom[2]), b),
                          Ops::add(Ops::sub(Ops::sub(bottom[1], bottom[2]), bottom[3]), b));
      float* plane = y + (o0 + r) * g.plane();
      for (size_t k = 0; k < out.runs; ++k) {
        const auto& run = out.run[k];
        Ops::store_pairs(plane + run.origin, upper, run.first_lane, run.floats);
        if (run.second_row) Ops::store_pairs(plane + run.origin + g.w, lower, run.first_lane, run.floats);
      }
    }
  }
}

}  // namespace
}  // namespace dendrite::winograd
