// Direct convolution of an image with one input channel, written once over a
// vector type `Ops` (ops_*.h). With one channel, im2col would copy each
// input pixel kh·kw times to feed a GEMM whose depth is only kh·kw; here the
// input is padded once and every output vector is kh·kw FMAs on shifted
// rows of it. For 3×3 kernels the nine shifted input vectors stay in
// registers while every output channel is computed from them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "infer/infer_kernels.h"
#include "infer/plane_epilogue_impl.h"

namespace dendrite::infer {
namespace {

// padded [h + 2·pad_h][row] with row = w + 2·pad_w + 2·kMaxLanes: the image
// at (pad_h, pad_w), zeros around it (the slack lets vector reads run past
// the last output column). Only the image is written: the caller zeroes the
// buffer once, and the zeros stay for every image after.
template <class Ops>
inline size_t copy_padded(const Conv2dGeometry& g, const float* x, float* padded) {
  constexpr size_t L = Ops::kLanes;
  const size_t row = g.w + 2 * g.pad_w + 2 * kMaxLanes;
  for (size_t r = 0; r < g.h; ++r) {
    const float* src = x + r * g.w;
    float* dst = padded + (g.pad_h + r) * row + g.pad_w;
    size_t i = 0;
    for (; i + L <= g.w; i += L) Ops::store(dst + i, Ops::load(src + i));
    if (i < g.w) Ops::store_first(dst + i, Ops::load_first(src + i, g.w - i), g.w - i);
  }
  return row;
}

template <class Ops>
inline typename Ops::Vec finish(typename Ops::Vec acc, bool relu) {
  return relu ? Ops::max(Ops::zero(), acc) : acc;  // NaN passes (see plane_epilogue_impl.h)
}

template <class Ops>
inline void store_n(float* p, typename Ops::Vec v, size_t n) {
  if (n == Ops::kLanes) {
    Ops::store(p, v);
  } else {
    Ops::store_first(p, v, n);
  }
}

// 3×3 kernels, stride 1 along rows (any row stride and dilation).
template <class Ops>
void conv3x3_rows(const Conv2dGeometry& g, const float* padded, size_t row, const float* w, const float* bias,
                  bool relu, float* out) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  const size_t plane = g.oh * g.ow, dh = g.dilation_h * row, dw = g.dilation_w;
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const float* r0 = padded + oy * g.stride_h * row;
    for (size_t x0 = 0; x0 < g.ow; x0 += L) {
      const size_t n = std::min(L, g.ow - x0);
      Vec in[9];
      for (size_t i = 0; i < 3; ++i)
        for (size_t j = 0; j < 3; ++j) in[i * 3 + j] = Ops::load(r0 + i * dh + x0 + j * dw);
      float* dst = out + oy * g.ow + x0;
      for (size_t o = 0; o < g.o; ++o) {
        const float* k = w + o * 9;
        Vec acc = bias != nullptr ? Ops::broadcast(bias[o]) : Ops::zero();
        for (size_t t = 0; t < 9; ++t) acc = Ops::fma(Ops::broadcast(k[t]), in[t], acc);
        store_n<Ops>(dst + o * plane, finish<Ops>(acc, relu), n);
      }
    }
  }
}

// Any kernel, stride 1 along rows.
template <class Ops>
void conv_rows(const Conv2dGeometry& g, const float* padded, size_t row, const float* w, const float* bias, bool relu,
               float* out) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  const size_t plane = g.oh * g.ow, taps = g.kh * g.kw;
  for (size_t o = 0; o < g.o; ++o) {
    const float* k = w + o * taps;
    for (size_t oy = 0; oy < g.oh; ++oy) {
      const float* r0 = padded + oy * g.stride_h * row;
      for (size_t x0 = 0; x0 < g.ow; x0 += L) {
        Vec acc = bias != nullptr ? Ops::broadcast(bias[o]) : Ops::zero();
        for (size_t i = 0; i < g.kh; ++i) {
          const float* r = r0 + i * g.dilation_h * row + x0;
          for (size_t j = 0; j < g.kw; ++j) acc = Ops::fma(Ops::broadcast(k[i * g.kw + j]), Ops::load(r + j * g.dilation_w), acc);
        }
        store_n<Ops>(out + o * plane + oy * g.ow + x0, finish<Ops>(acc, relu), std::min(L, g.ow - x0));
      }
    }
  }
}

// Any geometry, one output at a time (strided columns).
inline void conv_points(const Conv2dGeometry& g, const float* padded, size_t row, const float* w, const float* bias,
                        bool relu, float* out) {
  const size_t taps = g.kh * g.kw;
  for (size_t o = 0; o < g.o; ++o) {
    const float* k = w + o * taps;
    for (size_t oy = 0; oy < g.oh; ++oy) {
      for (size_t ox = 0; ox < g.ow; ++ox) {
        const float* r0 = padded + oy * g.stride_h * row + ox * g.stride_w;
        float acc = bias != nullptr ? bias[o] : 0.0f;
        for (size_t i = 0; i < g.kh; ++i)
          for (size_t j = 0; j < g.kw; ++j) acc += k[i * g.kw + j] * r0[i * g.dilation_h * row + j * g.dilation_w];
        out[(o * g.oh + oy) * g.ow + ox] = relu ? (acc < 0.0f ? 0.0f : acc) : acc;
      }
    }
  }
}

// 3×3 kernels of stride 1 and dilation 1 with a 2×2 max-pool of stride 2:
// each pair of output rows is computed kLanes pooled columns at a time (two
// vectors of each row), maxed down, then across column pairs, and only the
// pooled values (plus bias, clamped) are stored. The 24 shifted input
// vectors are loaded once for every output channel.
template <class Ops>
void conv3x3_pool2(const Conv2dGeometry& g, const float* padded, size_t row, const float* w, const float* bias,
                   bool relu, float* out) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  const size_t ph = g.oh / 2, pw = g.ow / 2, plane = ph * pw;
  for (size_t py = 0; py < ph; ++py) {
    const float* r0 = padded + 2 * py * row;
    for (size_t px0 = 0; px0 < pw; px0 += L) {
      const size_t n = std::min(L, pw - px0), x0 = 2 * px0;
      Vec in[4][3][2];  // input row, column shift, vector
      for (size_t r = 0; r < 4; ++r)
        for (size_t j = 0; j < 3; ++j)
          for (size_t v = 0; v < 2; ++v) in[r][j][v] = Ops::load(r0 + r * row + x0 + j + v * L);
      float* dst = out + py * pw + px0;
      for (size_t o = 0; o < g.o; ++o) {
        const float* k = w + o * 9;
        Vec acc[2][2] = {{Ops::zero(), Ops::zero()}, {Ops::zero(), Ops::zero()}};
        for (size_t i = 0; i < 3; ++i) {
          for (size_t j = 0; j < 3; ++j) {
            const Vec wv = Ops::broadcast(k[i * 3 + j]);
            for (size_t r = 0; r < 2; ++r)
              for (size_t v = 0; v < 2; ++v) acc[r][v] = Ops::fma(wv, in[r + i][j][v], acc[r][v]);
          }
        }
        Vec even, odd;
        Ops::deinterleave(Ops::max(acc[0][0], acc[1][0]), Ops::max(acc[0][1], acc[1][1]), even, odd);
        Vec pooled = Ops::add(Ops::max(even, odd), Ops::broadcast(bias != nullptr ? bias[o] : 0.0f));
        store_n<Ops>(dst + o * plane, finish<Ops>(pooled, relu), n);
      }
    }
  }
}

// Whether conv3x3_pool2 computes this convolution and pool.
inline bool conv3x3_pool2_fits(const Conv2dGeometry& g, const PoolWindow& p) {
  return g.kh == 3 && g.kw == 3 && g.stride_h == 1 && g.stride_w == 1 && g.dilation_h == 1 && g.dilation_w == 1 &&
         p.is_2x2_stride_2();
}

// One image: out = the epilogue of conv(x). `padded` (padded_plane_floats)
// is zero outside the image's place, as the caller left it; `raw` holds the
// o raw planes when a pool must run after the convolution, `row` one row.
template <class Ops>
void single_channel_conv(const Conv2dGeometry& g, const float* x, const float* w, const ConvEpilogue& e, float* out,
                         float* padded, float* raw, float* row_scratch) {
  const size_t row = copy_padded<Ops>(g, x, padded);
  if (e.pool.active() && conv3x3_pool2_fits(g, e.pool)) {
    conv3x3_pool2<Ops>(g, padded, row, w, e.bias, e.relu, out);
    return;
  }
  // Without a pool the epilogue is applied in registers; with one, on the raw planes after.
  const bool pooled = e.pool.active();
  float* dst = pooled ? raw : out;
  const float* bias = pooled ? nullptr : e.bias;
  const bool relu = pooled ? false : e.relu;
  if (g.stride_w != 1) {
    conv_points(g, padded, row, w, bias, relu, dst);
  } else if (g.kh == 3 && g.kw == 3) {
    conv3x3_rows<Ops>(g, padded, row, w, bias, relu, dst);
  } else {
    conv_rows<Ops>(g, padded, row, w, bias, relu, dst);
  }
  if (!pooled) return;
  PlaneShape s{g.oh, g.ow, 0, 0, e.pool, e.relu};
  pool_extent(g.oh, e.pool.kh, e.pool.stride_h, &s.ph);
  pool_extent(g.ow, e.pool.kw, e.pool.stride_w, &s.pw);
  for (size_t c = 0; c < g.o; ++c) {
    plane_epilogue<Ops>(s, raw + c * g.oh * g.ow, e.bias != nullptr ? e.bias[c] : 0.0f, out + c * s.ph * s.pw, row_scratch);
  }
}

}  // namespace
}  // namespace dendrite::infer
