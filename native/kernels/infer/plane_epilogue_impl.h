// A plane's epilogue written once over a vector type `Ops` (ops_*.h): the
// raw sums of one output channel, still in cache, become
// relu(maxpool(plane) + bias). Instantiated in one file per ISA.
#pragma once

#include <algorithm>
#include <cstddef>

#include "infer/infer_kernels.h"

namespace dendrite::infer {
namespace {

template <class Ops>
inline typename Ops::Vec bias_relu(typename Ops::Vec v, typename Ops::Vec bias, bool relu) {
  v = Ops::add(v, bias);
  // max(0, v), in this order: x86's max returns its second operand when either is NaN, so NaN passes as in PyTorch.
  return relu ? Ops::max(Ops::zero(), v) : v;
}

// dst[0, n) = relu(src + bias), n any length.
template <class Ops>
void bias_relu_span(const float* src, size_t n, float bias, bool relu, float* dst) {
  constexpr size_t L = Ops::kLanes;
  const typename Ops::Vec b = Ops::broadcast(bias);
  size_t i = 0;
  for (; i + L <= n; i += L) Ops::store(dst + i, bias_relu<Ops>(Ops::load(src + i), b, relu));
  if (i < n) Ops::store_first(dst + i, bias_relu<Ops>(Ops::load_first(src + i, n - i), b, relu), n - i);
}

template <class Ops>
void plane_epilogue(const PlaneShape& s, const float* plane, float bias, float* out, float* row) {
  constexpr size_t L = Ops::kLanes;
  using Vec = typename Ops::Vec;
  if (!s.pool.active()) {
    bias_relu_span<Ops>(plane, s.oh * s.ow, bias, s.relu, out);
    return;
  }
  const PoolWindow& p = s.pool;
  const Vec b = Ops::broadcast(bias);
  const bool pairs = p.kw == 2 && p.stride_w == 2;
  // The pair path reads whole vectors of `row` up to 2·round_up(pw, L): keep them defined.
  for (size_t i = s.ow; i < plane_row_floats(s.ow); ++i) row[i] = 0.0f;
  for (size_t py = 0; py < s.ph; ++py) {
    // row = the window's rows, maxed element by element.
    const float* first = plane + py * p.stride_h * s.ow;
    size_t x = 0;
    for (; x + L <= s.ow; x += L) {
      Vec m = Ops::load(first + x);
      for (size_t ky = 1; ky < p.kh; ++ky) m = Ops::max(m, Ops::load(first + ky * s.ow + x));
      Ops::store(row + x, m);
    }
    if (x < s.ow) {
      const size_t n = s.ow - x;
      Vec m = Ops::load_first(first + x, n);
      for (size_t ky = 1; ky < p.kh; ++ky) m = Ops::max(m, Ops::load_first(first + ky * s.ow + x, n));
      Ops::store_first(row + x, m, n);
    }
    float* dst = out + py * s.pw;
    if (pairs) {
      // Column pairs (2px, 2px + 1): the even and odd columns, maxed.
      for (size_t px = 0; px < s.pw; px += L) {
        Vec even, odd;
        Ops::deinterleave(row + 2 * px, even, odd);
        const Vec v = bias_relu<Ops>(Ops::max(even, odd), b, s.relu);
        if (px + L <= s.pw) {
          Ops::store(dst + px, v);
        } else {
          Ops::store_first(dst + px, v, s.pw - px);
        }
      }
      continue;
    }
    for (size_t px = 0; px < s.pw; ++px) {
      const float* w = row + px * p.stride_w;
      float m = w[0];
      for (size_t kx = 1; kx < p.kw; ++kx) m = std::max(m, w[kx]);
      m += bias;
      dst[px] = s.relu ? std::max(m, 0.0f) : m;
    }
  }
}

}  // namespace
}  // namespace dendrite::infer
