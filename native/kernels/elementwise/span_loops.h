// Span loops written once over a vector type `Ops`, for the kernels of every
// vector ISA (AVX2: simd::Avx2Ops in elementwise/simd_avx2.h; NEON:
// neon::NeonOps in elementwise/simd_neon.h). Ops supplies:
//   Vec, kLanes, load(p), store(p, v), broadcast(s), fma(a, b, c) = a·b + c,
//   and load_first(p, n) / store_first(p, v, n) for n < kLanes lanes (the
//   other lanes 0 on load; memory past p + n neither read nor written).
#pragma once

#include <cstddef>

namespace dendrite::span_loops {
// Internal linkage: each ISA's file compiles its own copy with its own
// instruction flags, and the linker must never swap one for another.
namespace {

// out[i] = f(x[i]) over a span, two vectors per step; the tail goes through
// the same f, so every element gets the same math. out may be x.
template <class Ops, class F>
inline void map_span(const float* x, float* out, size_t n, F f) {
  constexpr size_t L = Ops::kLanes;
  size_t i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    auto r0 = f(Ops::load(x + i));
    auto r1 = f(Ops::load(x + i + L));
    Ops::store(out + i, r0);
    Ops::store(out + i + L, r1);
  }
  for (; i + L <= n; i += L) Ops::store(out + i, f(Ops::load(x + i)));
  if (i < n) Ops::store_first(out + i, f(Ops::load_first(x + i, n - i)), n - i);
}

// out[i] = f(a[i], b[i], c[i]) (backward kernels: x, y, gy -> gx).
template <class Ops, class F>
inline void map_span3(const float* a, const float* b, const float* c, float* out, size_t n, F f) {
  constexpr size_t L = Ops::kLanes;
  size_t i = 0;
  for (; i + L <= n; i += L) Ops::store(out + i, f(Ops::load(a + i), Ops::load(b + i), Ops::load(c + i)));
  if (i < n) {
    size_t rest = n - i;
    Ops::store_first(out + i, f(Ops::load_first(a + i, rest), Ops::load_first(b + i, rest), Ops::load_first(c + i, rest)),
                     rest);
  }
}

}  // namespace
}  // namespace dendrite::span_loops
