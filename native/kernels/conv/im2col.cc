#include "conv/im2col.h"

#include <algorithm>
#include <cstring>

namespace dendrite {
namespace {

using Index = std::ptrdiff_t;

// Output columns [lo, hi) whose input column ox·stride − pad + j·dilation lies
// inside [0, w): everything left of lo and right of hi reads padding.
struct ValidColumns {
  size_t lo, hi;
};

ValidColumns valid_columns(const Conv2dGeometry& g, size_t j) {
  const Index stride = static_cast<Index>(g.stride_w);
  const Index offset = static_cast<Index>(j * g.dilation_w) - static_cast<Index>(g.pad_w);
  const Index width = static_cast<Index>(g.w);
  const Index ow = static_cast<Index>(g.ow);
  Index lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  Index hi = width - offset <= 0 ? 0 : (width - offset + stride - 1) / stride;
  lo = std::min(lo, ow);
  hi = std::min(std::max(hi, lo), ow);
  return {static_cast<size_t>(lo), static_cast<size_t>(hi)};
}

// Calls fn(oy, xa, xb, at) for each piece of output row oy, columns [xa, xb),
// that pixels [p0, p1) cover; `at` is the piece's first position in the tile.
template <class Fn>
void for_each_row_piece(const Conv2dGeometry& g, size_t p0, size_t p1, Fn&& fn) {
  size_t p = p0;
  while (p < p1) {
    size_t oy = p / g.ow;
    size_t xa = p - oy * g.ow;
    size_t xb = std::min(g.ow, xa + (p1 - p));
    fn(oy, xa, xb, p - p0);
    p += xb - xa;
  }
}

// Input row read by output row oy through kernel row i, or −1 for padding.
Index input_row(const Conv2dGeometry& g, size_t oy, size_t i) {
  Index iy = static_cast<Index>(oy * g.stride_h + i * g.dilation_h) - static_cast<Index>(g.pad_h);
  return iy >= 0 && iy < static_cast<Index>(g.h) ? iy : -1;
}

inline void fill_zero(float* __restrict dst, size_t n) {
  for (size_t k = 0; k < n; ++k) dst[k] = 0.0f;
}

}  // namespace

void im2col_channels(const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0,
                     size_t p1, float* col) {
  const size_t tile = p1 - p0;
  const size_t sw = g.stride_w;
  for (size_t c = c0; c < c1; ++c) {
    const float* plane = image + c * g.h * g.w;
    for (size_t i = 0; i < g.kh; ++i) {
      for (size_t j = 0; j < g.kw; ++j) {
        float* row = col + ((c * g.kh + i) * g.kw + j) * tile;
        const ValidColumns valid = valid_columns(g, j);
        // Input column of output column ox is ox·sw + shift (shift may be negative).
        const Index shift = static_cast<Index>(j * g.dilation_w) - static_cast<Index>(g.pad_w);
        for_each_row_piece(g, p0, p1, [&](size_t oy, size_t xa, size_t xb, size_t at) {
          float* __restrict dst = row + at;  // output column ox lands at dst[ox − xa]
          const Index iy = input_row(g, oy, i);
          const size_t a = std::max(xa, valid.lo), b = std::min(xb, valid.hi);
          if (iy < 0 || a >= b) {
            fill_zero(dst, xb - xa);
            return;
          }
          fill_zero(dst, a - xa);
          const float* __restrict src = plane + static_cast<size_t>(iy) * g.w;
          float* __restrict d = dst + (a - xa);
          if (sw == 1) {
            const float* __restrict s = src + (static_cast<Index>(a) + shift);
            for (size_t k = 0; k < b - a; ++k) d[k] = s[k];
          } else {
            for (size_t ox = a; ox < b; ++ox) d[ox - a] = src[static_cast<Index>(ox * sw) + shift];
          }
          fill_zero(dst + (b - xa), xb - b);
        });
      }
    }
  }
}

void col2im_channels(const Conv2dGeometry& g, const float* col, size_t c0, size_t c1, size_t p0,
                     size_t p1, float* image_grad, bool zero_first) {
  const size_t tile = p1 - p0;
  const size_t sw = g.stride_w;
  for (size_t c = c0; c < c1; ++c) {
    float* plane = image_grad + c * g.h * g.w;
    if (zero_first) std::memset(plane, 0, g.h * g.w * sizeof(float));
    for (size_t i = 0; i < g.kh; ++i) {
      for (size_t j = 0; j < g.kw; ++j) {
        const float* row = col + ((c * g.kh + i) * g.kw + j) * tile;
        const ValidColumns valid = valid_columns(g, j);
        const Index shift = static_cast<Index>(j * g.dilation_w) - static_cast<Index>(g.pad_w);
        for_each_row_piece(g, p0, p1, [&](size_t oy, size_t xa, size_t xb, size_t at) {
          const Index iy = input_row(g, oy, i);
          if (iy < 0) return;
          const size_t a = std::max(xa, valid.lo), b = std::min(xb, valid.hi);
          if (a >= b) return;
          const float* __restrict s = row + at + (a - xa);  // output column a
          float* __restrict dst = plane + static_cast<size_t>(iy) * g.w;
          if (sw == 1) {
            float* __restrict d = dst + (static_cast<Index>(a) + shift);
            for (size_t k = 0; k < b - a; ++k) d[k] += s[k];
          } else {
            for (size_t ox = a; ox < b; ++ox) dst[static_cast<Index>(ox * sw) + shift] += s[ox - a];
          }
        });
      }
    }
  }
}

}  // namespace dendrite
