// The elementwise and activation kernels of a vector ISA, written once over
// its vector type `Ops` (see span_loops.h) and the per-op math `Math` of its
// files, so an ISA's file holds only the math of each op:
//   unary:  Math::forward<Op>(x, p), Math::backward<Op>(x, y, gy, p)  (UnaryEntry)
//   scalar: Math::apply<Op>(x, s) and the few below      (scalar_op_kernels)
//   binary: Math::apply<Op>(a, b)                         (binary_row)
#pragma once

#include <cstddef>

#include "elementwise/op_dispatch.h"
#include "elementwise/scalar_math.h"
#include "elementwise/scalar_ops_kernels.h"
#include "elementwise/span_loops.h"
#include "elementwise/unary_kernels.h"

namespace dendrite::vector_kernels {
// Internal linkage: each ISA's file compiles its own copy with its own
// instruction flags, and the linker must never swap one for another.
namespace {

// The span kernels of unary op Op from Math's per-vector definitions:
// Math::forward<Op>(x, p) and Math::backward<Op>(x, y, gy, p), p the op's
// parameter in every lane.
template <class Ops, class Math, UnaryOp Op>
void unary_forward_span(const float* x, float* out, size_t n, float param) {
  const auto p = Ops::broadcast(param);
  span_loops::map_span<Ops>(x, out, n, [p](auto v) { return Math::template forward<Op>(v, p); });
}

template <class Ops, class Math, UnaryOp Op>
void unary_backward_span(const float* x, const float* y, const float* gy, float* gx, size_t n, float param) {
  const auto p = Ops::broadcast(param);
  span_loops::map_span3<Ops>(x, y, gy, gx, n, [p](auto a, auto b, auto g) { return Math::template backward<Op>(a, b, g, p); });
}

// The Entry of select_unary() for an ISA whose unary math is `Math`.
template <class Ops, class Math>
struct UnaryEntry {
  template <UnaryOp Op>
  UnarySpanKernels make() const {
    return {unary_forward_span<Ops, Math, Op>, unary_backward_span<Ops, Math, Op>};
  }
};

// x op s over a span for scalar op Op (not Pow): Math::apply<Op>(x, s).
template <class Ops, class Math, ScalarOp Op>
void scalar_span(const float* x, float s, float* out, size_t n) {
  const auto sv = Ops::broadcast(s);
  span_loops::map_span<Ops>(x, out, n, [sv](auto v) { return Math::template apply<Op>(v, sv); });
}

// x^s: the exponents networks use most on vectors (Math::square for 2,
// Math::pow_half for 0.5), the others through libm.
template <class Ops, class Math>
void pow_span(const float* x, float s, float* out, size_t n) {
  if (s == 2.0f) return span_loops::map_span<Ops>(x, out, n, [](auto v) { return Math::square(v); });
  if (s == 0.5f) return span_loops::map_span<Ops>(x, out, n, [](auto v) { return Math::pow_half(v); });
  for (size_t i = 0; i < n; ++i) out[i] = elementwise_detail::apply_scalar<ScalarOp::Pow>(x[i], s);
}

template <class Ops, class Math>
struct ScalarEntry {
  template <ScalarOp Op>
  ScalarSpan make() const {
    if constexpr (Op == ScalarOp::Pow) return pow_span<Ops, Math>;
    else return scalar_span<Ops, Math, Op>;
  }
};

template <class Ops, class Math>
void scalar_op_span(ScalarOp op, const float* x, float s, float* out, size_t n) {
  select_scalar(op, ScalarEntry<Ops, Math>{})(x, s, out, n);
}

template <class Ops, class Math>
void clamp_span(const float* x, float lo, float hi, float* out, size_t n) {
  const auto l = Ops::broadcast(lo), h = Ops::broadcast(hi);
  span_loops::map_span<Ops>(x, out, n, [=](auto v) { return Math::clamp(v, l, h); });
}

template <class Ops>
void fill_span(float* out, size_t n, float value) {
  constexpr size_t L = Ops::kLanes;
  const auto v = Ops::broadcast(value);
  size_t i = 0;
  for (; i + L <= n; i += L) Ops::store(out + i, v);
  if (i < n) Ops::store_first(out + i, v, n - i);
}

template <class Ops>
void axpy_span(float alpha, const float* x, float* y, size_t n) {
  const auto a = Ops::broadcast(alpha);
  span_loops::map_span3<Ops>(x, y, y, y, n, [a](auto xv, auto yv, auto) { return Ops::fma(a, xv, yv); });
}

// The table of scalar_ops_kernels.h for an ISA whose scalar-op math is
// `Math`: Math::apply<Op>(x, s) for every op but Pow, Math::square(x),
// Math::pow_half(x) (pow(x, 0.5): +0 for -0, +inf for -inf) and
// Math::clamp(x, lo, hi) (NaN stays NaN; lo > hi gives hi).
template <class Ops, class Math>
const ScalarOpKernels& scalar_op_kernels() {
  static const ScalarOpKernels k{scalar_op_span<Ops, Math>, clamp_span<Ops, Math>, fill_span<Ops>, axpy_span<Ops>};
  return k;
}

// A row with a and b read at stride 1 (a row) or 0 (one broadcast value).
template <class Ops, class Math, BinaryOp Op, bool BroadcastA, bool BroadcastB>
void vector_row(const float* a, const float* b, float* out, size_t n) {
  if (n == 0) return;
  constexpr size_t L = Ops::kLanes;
  const auto av = Ops::broadcast(*a), bv = Ops::broadcast(*b);
  auto load_a = [&](size_t i) { return BroadcastA ? av : Ops::load(a + i); };
  auto load_b = [&](size_t i) { return BroadcastB ? bv : Ops::load(b + i); };
  size_t i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    auto r0 = Math::template apply<Op>(load_a(i), load_b(i));
    auto r1 = Math::template apply<Op>(load_a(i + L), load_b(i + L));
    Ops::store(out + i, r0);
    Ops::store(out + i + L, r1);
  }
  for (; i + L <= n; i += L) Ops::store(out + i, Math::template apply<Op>(load_a(i), load_b(i)));
  if (i < n) {
    size_t rest = n - i;
    auto x = BroadcastA ? av : Ops::load_first(a + i, rest);
    auto y = BroadcastB ? bv : Ops::load_first(b + i, rest);
    Ops::store_first(out + i, Math::template apply<Op>(x, y), rest);
  }
}

// out[i] = a[i·sa] op b[i·sb] (binary_rows.h): the stride pairs (1,1),
// (1,0), (0,1), (0,0) on whole vectors through Math::apply<Op>; other strides,
// and pow (no vector form: rare in networks, and libm's is exact to an ulp),
// element by element through scalar_math.h.
template <class Ops, class Math, BinaryOp Op>
void binary_row(const float* a, ptrdiff_t sa, const float* b, ptrdiff_t sb, float* out, size_t n) {
  using elementwise_detail::apply_binary;
  if constexpr (Op == BinaryOp::Pow) {
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(a[i * sa], b[i * sb]);
  } else {
    if (sa == 1 && sb == 1) return vector_row<Ops, Math, Op, false, false>(a, b, out, n);
    if (sa == 1 && sb == 0) return vector_row<Ops, Math, Op, false, true>(a, b, out, n);
    if (sa == 0 && sb == 1) return vector_row<Ops, Math, Op, true, false>(a, b, out, n);
    if (sa == 0 && sb == 0) return vector_row<Ops, Math, Op, true, true>(a, b, out, n);
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(a[i * sa], b[i * sb]);
  }
}

}  // namespace
}  // namespace dendrite::vector_kernels
