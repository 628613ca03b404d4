// The Winograd weight-gradient transforms: channels along the vector lanes,
// since the tiles are the depth of the products there (layouts:
// winograd_kernels.h). Written over a vector type like winograd_transforms.h,
// whose tile walking and input transform they share.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "conv/winograd_transforms.h"

namespace dendrite::winograd {
// Internal linkage, as in winograd_transforms.h.
namespace {

// Per lane l, l·plane: the same pixel of L consecutive channels.
template <class Ops>
typename Ops::Idx channel_lanes(size_t plane) {
  int32_t at[Ops::kLanes];
  for (size_t l = 0; l < Ops::kLanes; ++l) at[l] = static_cast<int32_t>(l * plane);
  return Ops::indices(at);
}

template <class Ops>
void input_to_channel_panels(const TileGrid& g, const float* x, size_t channels, size_t image_stride, size_t t0,
                             size_t kc, size_t nr, float* v) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  const size_t panels = (channels + nr - 1) / nr, per_position = position_stride(panels * kc * nr);
  const size_t plane = g.plane();
  const typename Ops::Idx across = channel_lanes<Ops>(plane);
  TileCursor at(g, t0);
  for (size_t k = 0; k < kc; ++k, at.next()) {
    const long y0 = 2 * long(at.ty) - 1, x0 = 2 * long(at.tx) - 1;
    bool in[16];
    for (long i = 0; i < 4; ++i) {
      for (long j = 0; j < 4; ++j) in[4 * i + j] = y0 + i >= 0 && y0 + i < long(g.h) && x0 + j >= 0 && x0 + j < long(g.w);
    }
    for (size_t c0 = 0; c0 < panels * nr; c0 += L) {
      const size_t lanes = c0 < channels ? std::min(L, channels - c0) : 0;
      const typename Ops::Mask active = Ops::mask((1u << lanes) - 1u);
      Vec d[16];
      for (long i = 0; i < 4; ++i) {
        for (long j = 0; j < 4; ++j) {
          if (!in[4 * i + j] || lanes == 0) {
            d[4 * i + j] = Ops::zero();
            continue;
          }
          const float* base = x + at.n * image_stride + c0 * plane + size_t((y0 + i) * long(g.w) + x0 + j);
          d[4 * i + j] = Ops::gather(base, across, active);
        }
      }
      input_transform<Ops>(d, d);
      float* dst = v + ((c0 / nr) * kc + k) * nr + c0 % nr;
      for (size_t xi = 0; xi < kPositions; ++xi) Ops::store(dst + xi * per_position, d[xi]);
    }
  }
}

template <class Ops>
void gradient_to_row_panels(const TileGrid& g, const float* gy, size_t out_channels, size_t image_stride, size_t t0,
                            size_t kc, size_t mr, float* a) {
  using Vec = typename Ops::Vec;
  const size_t panels = (out_channels + mr - 1) / mr, per_position = position_stride(panels * kc * mr);
  const size_t plane = g.plane();
  const typename Ops::Idx across = channel_lanes<Ops>(plane);
  TileCursor at(g, t0);
  for (size_t k = 0; k < kc; ++k, at.next()) {
    const size_t y0 = 2 * at.ty, x0 = 2 * at.tx;
    const bool rows[2] = {true, y0 + 1 < g.h};
    const bool cols[2] = {true, x0 + 1 < g.w};
    for (size_t p = 0; p < panels; ++p) {
      const size_t o0 = p * mr, lanes = std::min(mr, out_channels - o0);
      const typename Ops::Mask active = Ops::mask((1u << lanes) - 1u);
      const float* base = gy + at.n * image_stride + o0 * plane + y0 * g.w + x0;
      Vec dy[2][2];
      for (size_t r = 0; r < 2; ++r) {
        for (size_t c = 0; c < 2; ++c) {
          dy[r][c] = rows[r] && cols[c] ? Ops::gather(base + r * g.w + c, across, active) : Ops::zero();
        }
      }
      // A·dy: rows [dy0, dy0 + dy1, dy0 − dy1, −dy1], then the same on the columns.
      Vec e[4][2];
      for (size_t c = 0; c < 2; ++c) {
        e[0][c] = dy[0][c];
        e[1][c] = Ops::add(dy[0][c], dy[1][c]);
        e[2][c] = Ops::sub(dy[0][c], dy[1][c]);
        e[3][c] = Ops::sub(Ops::zero(), dy[1][c]);
      }
      float* dst = a + (p * kc + k) * mr;
      for (size_t i = 0; i < 4; ++i) {
        const Vec value[4] = {e[i][0], Ops::add(e[i][0], e[i][1]), Ops::sub(e[i][0], e[i][1]),
                              Ops::sub(Ops::zero(), e[i][1])};
        for (size_t j = 0; j < 4; ++j) Ops::store_first(dst + (4 * i + j) * per_position, value[j], mr);
      }
    }
  }
}

}  // namespace
}  // namespace dendrite::winograd
