// The loops of im2col and col2im, generic over the row primitives of one ISA
// (`Rows`: zero, copy, gather, add, scatter_add; see im2col.cc and
// im2col_avx2.cc). Everything here is a template of Rows, so each ISA's
// translation unit compiles its own copy with its own flags; no non-template
// inline function is shared between them. No intrinsics here.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "conv/conv2d_geometry.h"

namespace dendrite::im2col_rows {

using Index = std::ptrdiff_t;

// Walks the output pixels [p0, p1) of one column-matrix row (kernel offset
// (i, j) of one channel) as pieces of output rows, and calls
//   padding(at, n)                   for n entries that read padding, and
//   inside(at, iy, ix, n)            for n entries reading input row iy from
//                                    column ix on, stride_w apart,
// where `at` is the entry's offset within the row of the tile.
template <class Rows, class Padding, class Inside>
inline void walk_row(const Conv2dGeometry& g, size_t i, size_t j, size_t p0, size_t p1, Padding&& padding,
                     Inside&& inside) {
  const size_t ow = g.ow, tile = p1 - p0;
  const Index stride = static_cast<Index>(g.stride_w);
  const Index shift = static_cast<Index>(j * g.dilation_w) - static_cast<Index>(g.pad_w);
  const Index width = static_cast<Index>(g.w);
  // Output columns [lo, hi) read inside the image: ox·stride + shift in [0, w).
  Index lo_i = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
  Index hi_i = width - shift <= 0 ? 0 : (width - shift + stride - 1) / stride;
  const size_t lo = static_cast<size_t>(std::min<Index>(lo_i, static_cast<Index>(ow)));
  const size_t hi = static_cast<size_t>(std::min<Index>(std::max(hi_i, lo_i), static_cast<Index>(ow)));
  const Index row_shift = static_cast<Index>(i * g.dilation_h) - static_cast<Index>(g.pad_h);
  size_t oy = p0 / ow, xa = p0 - oy * ow, at = 0;
  while (at < tile) {
    const size_t xb = std::min(ow, xa + (tile - at));
    const Index iy = static_cast<Index>(oy * g.stride_h) + row_shift;
    const size_t a = std::max(xa, lo), b = std::min(xb, hi);
    if (iy < 0 || iy >= static_cast<Index>(g.h) || a >= b) {
      padding(at, xb - xa);
    } else {
      if (a > xa) padding(at, a - xa);
      inside(at + (a - xa), static_cast<size_t>(iy), static_cast<size_t>(static_cast<Index>(a) * stride + shift), b - a);
      if (xb > b) padding(at + (b - xa), xb - b);
    }
    at += xb - xa;
    ++oy;
    xa = 0;
  }
}

// "Same"-size rows: with stride 1 and ow == w, entry p of a column-matrix row
// reads input element p + delta of the plane whenever it reads inside the
// image, so the row is one contiguous run of the plane, except whole output
// rows above or below the image and a few columns at the left and right edges
// that read padding. SameSizeRow finds the run [pa, pb) (pixels of the tile,
// clipped so p + delta stays inside the plane) and the padded columns.
struct SameSizeRow {
  Index delta;
  size_t pa, pb;      // pixels of the contiguous run (pa >= pb: none)
  size_t lo, hi;      // output columns [lo, hi) read inside the image
};

template <class Rows>
inline bool same_size_rows(const Conv2dGeometry& g) {
  return g.stride_h == 1 && g.stride_w == 1 && g.ow == g.w;
}

template <class Rows>
inline SameSizeRow same_size_row(const Conv2dGeometry& g, size_t i, size_t j, size_t p0, size_t p1) {
  const Index w = static_cast<Index>(g.w), h = static_cast<Index>(g.h);
  const Index row_shift = static_cast<Index>(i * g.dilation_h) - static_cast<Index>(g.pad_h);
  const Index col_shift = static_cast<Index>(j * g.dilation_w) - static_cast<Index>(g.pad_w);
  SameSizeRow r;
  r.delta = row_shift * w + col_shift;
  // Output rows oy with oy + row_shift in [0, h).
  const Index oy_lo = std::max<Index>(0, -row_shift);
  const Index oy_hi = std::min<Index>(static_cast<Index>(g.oh), h - row_shift);
  const Index pa = std::max({static_cast<Index>(p0), oy_lo * w, -r.delta});
  const Index pb = std::min({static_cast<Index>(p1), oy_hi * w, h * w - r.delta});
  // Clamp into the tile: p0 <= pa <= pb <= p1 (an empty run when the tile has none).
  r.pa = static_cast<size_t>(std::clamp<Index>(pa, static_cast<Index>(p0), static_cast<Index>(p1)));
  r.pb = static_cast<size_t>(std::clamp<Index>(pb, static_cast<Index>(r.pa), static_cast<Index>(p1)));
  r.lo = static_cast<size_t>(std::min<Index>(std::max<Index>(0, -col_shift), w));
  r.hi = static_cast<size_t>(std::max<Index>(std::min<Index>(w, w - col_shift), static_cast<Index>(r.lo)));
  return r;
}

// Zeroes the entries of pixels [pa, pb) in columns outside [lo, hi); row[0] is pixel p0.
template <class Rows>
inline void zero_edge_columns(const SameSizeRow& r, size_t ow, size_t p0, float* row) {
  if (r.lo == 0 && r.hi == ow) return;
  for (size_t oy = r.pa / ow; oy * ow < r.pb; ++oy) {
    const size_t start = oy * ow;
    const size_t left_a = std::max(start, r.pa), left_b = std::min(start + r.lo, r.pb);
    if (left_a < left_b) Rows::zero(row + (left_a - p0), left_b - left_a);
    const size_t right_a = std::max(start + r.hi, r.pa), right_b = std::min(start + ow, r.pb);
    if (right_a < right_b) Rows::zero(row + (right_a - p0), right_b - right_a);
  }
}

// Rows of channels [c0, c1) of the column matrix, pixels [p0, p1); rows are
// ld floats apart in `col`.
template <class Rows>
void gather(const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0, size_t p1, float* col,
            size_t ld) {
  const size_t stride = g.stride_w;
  const bool same_size = same_size_rows<Rows>(g);
  for (size_t c = c0; c < c1; ++c) {
    const float* plane = image + c * g.h * g.w;
    for (size_t i = 0; i < g.kh; ++i) {
      for (size_t j = 0; j < g.kw; ++j) {
        float* row = col + ((c * g.kh + i) * g.kw + j) * ld;
        if (same_size) {
          const SameSizeRow r = same_size_row<Rows>(g, i, j, p0, p1);
          Rows::zero(row, r.pa - p0);
          Rows::copy(row + (r.pa - p0), plane + (static_cast<Index>(r.pa) + r.delta), r.pb - r.pa);
          Rows::zero(row + (r.pb - p0), p1 - r.pb);
          zero_edge_columns<Rows>(r, g.ow, p0, row);
          continue;
        }
        walk_row<Rows>(
            g, i, j, p0, p1, [&](size_t at, size_t n) { Rows::zero(row + at, n); },
            [&](size_t at, size_t iy, size_t ix, size_t n) {
              const float* src = plane + iy * g.w + ix;
              if (stride == 1) {
                Rows::copy(row + at, src, n);
              } else {
                Rows::gather(row + at, src, n, stride);
              }
            });
      }
    }
  }
}

// Adds rows of channels [c0, c1) back onto the image gradient (cleared first
// when zero_first); padding entries are dropped. The entries of `col` that
// read padding may be overwritten with zeros.
template <class Rows>
void scatter_add(const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0, size_t p1,
                 float* image_grad, bool zero_first) {
  const size_t stride = g.stride_w;
  const bool same_size = same_size_rows<Rows>(g);
  for (size_t c = c0; c < c1; ++c) {
    float* plane = image_grad + c * g.h * g.w;
    if (zero_first) std::memset(plane, 0, g.h * g.w * sizeof(float));
    for (size_t i = 0; i < g.kh; ++i) {
      for (size_t j = 0; j < g.kw; ++j) {
        float* row = col + ((c * g.kh + i) * g.kw + j) * ld;
        if (same_size) {
          // Zero the edge entries first: in the contiguous run they land on a
          // neighbouring row's pixel, to which they must add nothing.
          const SameSizeRow r = same_size_row<Rows>(g, i, j, p0, p1);
          zero_edge_columns<Rows>(r, g.ow, p0, row);
          Rows::add(plane + (static_cast<Index>(r.pa) + r.delta), row + (r.pa - p0), r.pb - r.pa);
          continue;
        }
        walk_row<Rows>(
            g, i, j, p0, p1, [](size_t, size_t) {},
            [&](size_t at, size_t iy, size_t ix, size_t n) {
              float* dst = plane + iy * g.w + ix;
              if (stride == 1) {
                Rows::add(dst, row + at, n);
              } else {
                Rows::scatter_add(dst, row + at, n, stride);
              }
            });
      }
    }
  }
}

}  // namespace dendrite::im2col_rows
