// The depthwise row loops (depthwise_rows.h) written once over a vector type
// `Ops` and instantiated in one file per ISA. Ops supplies:
//   Vec, kLanes, kBlock (vectors of one output row summed at once),
//   kMostTerms (dot-product sums held in registers at once),
//   zero(), broadcast(s), load(p), load_first(p, n), store(p, v),
//   store_first(p, v, n) (n < kLanes lanes; the others neither read nor
//   written), fma(a, b, c) = a·b + c, and sum(v), the lanes added in double.
#pragma once

#include <algorithm>
#include <cstddef>

#include "conv/depthwise_rows.h"

namespace dendrite::depthwise {
// Internal linkage: each ISA's file compiles its own copy with its own
// instruction flags, and the linker must never swap one for another.
namespace {

// V vectors of one output row from position `at`; with Tail, the last holds
// only `tail` lanes.
template <class Ops, size_t V, bool Tail>
inline void weighted_block(float* dst, size_t at, const float* const* src, size_t offset, const float* weight,
                           size_t terms, float init, size_t tail) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  Vec acc[V];
  for (size_t v = 0; v < V; ++v) acc[v] = Ops::broadcast(init);
  for (size_t t = 0; t < terms; ++t) {
    const Vec wt = Ops::broadcast(weight[t]);
    const float* s = src[t] + offset + at;
    for (size_t v = 0; v + 1 < V; ++v) acc[v] = Ops::fma(wt, Ops::load(s + v * L), acc[v]);
    const Vec last = Tail ? Ops::load_first(s + (V - 1) * L, tail) : Ops::load(s + (V - 1) * L);
    acc[V - 1] = Ops::fma(wt, last, acc[V - 1]);
  }
  for (size_t v = 0; v + 1 < V; ++v) Ops::store(dst + at + v * L, acc[v]);
  if (Tail) {
    Ops::store_first(dst + at + (V - 1) * L, acc[V - 1], tail);
  } else {
    Ops::store(dst + at + (V - 1) * L, acc[V - 1]);
  }
}

// The last `vectors` (1 to kBlock) vectors of a row, as one block.
template <class Ops, size_t V = Ops::kBlock>
inline void weighted_rest(size_t vectors, bool tail_block, float* dst, size_t at, const float* const* src,
                          size_t offset, const float* weight, size_t terms, float init, size_t tail) {
  if constexpr (V > 1) {
    if (vectors < V) {
      return weighted_rest<Ops, V - 1>(vectors, tail_block, dst, at, src, offset, weight, terms, init, tail);
    }
  }
  if (tail_block) {
    weighted_block<Ops, V, true>(dst, at, src, offset, weight, terms, init, tail);
  } else {
    weighted_block<Ops, V, false>(dst, at, src, offset, weight, terms, init, tail);
  }
}

template <class Ops>
void weighted_rows(float* dst, size_t dst_stride, size_t rows, size_t n, const float* const* src, size_t src_stride,
                   const float* weight, size_t terms, float init) {
  constexpr size_t L = Ops::kLanes, B = Ops::kBlock;
  const size_t tail = n % L, vectors = (n + L - 1) / L;
  for (size_t r = 0; r < rows; ++r) {
    float* d = dst + r * dst_stride;
    const size_t offset = r * src_stride;
    size_t v = 0;
    // Whole blocks while more than one block's vectors are left, so the last
    // block (1 to B vectors) is the one that holds the tail.
    for (; vectors - v > B; v += B) weighted_block<Ops, B, false>(d, v * L, src, offset, weight, terms, init, 0);
    if (v < vectors) weighted_rest<Ops>(vectors - v, tail != 0, d, v * L, src, offset, weight, terms, init, tail);
  }
}

// T dot products over the rows, their sums in registers.
template <class Ops, size_t T>
void dot_block(const float* a, size_t a_stride, size_t rows, size_t n, const float* const* src, size_t src_stride,
               double* acc) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  // Vectors each lane sums before they go into the doubles: float rounding
  // stays near that of a few dozen terms, whatever the plane's size.
  constexpr size_t kFlush = 64;
  const size_t full = n / L, tail = n % L;
  Vec sum[T];
  for (size_t t = 0; t < T; ++t) sum[t] = Ops::zero();
  size_t since_flush = 0;
  for (size_t r = 0; r < rows; ++r) {
    const float* ar = a + r * a_stride;
    const size_t offset = r * src_stride;
    for (size_t v = 0; v < full; ++v) {
      const Vec av = Ops::load(ar + v * L);
      for (size_t t = 0; t < T; ++t) sum[t] = Ops::fma(av, Ops::load(src[t] + offset + v * L), sum[t]);
    }
    if (tail != 0) {
      const Vec av = Ops::load_first(ar + full * L, tail);
      for (size_t t = 0; t < T; ++t) {
        sum[t] = Ops::fma(av, Ops::load_first(src[t] + offset + full * L, tail), sum[t]);
      }
    }
    since_flush += full + (tail != 0 ? 1 : 0);
    if (since_flush >= kFlush || r + 1 == rows) {
      for (size_t t = 0; t < T; ++t) {
        acc[t] += Ops::sum(sum[t]);
        sum[t] = Ops::zero();
      }
      since_flush = 0;
    }
  }
}

template <class Ops, size_t T = Ops::kMostTerms>
void dot_terms(size_t terms, const float* a, size_t a_stride, size_t rows, size_t n, const float* const* src,
               size_t src_stride, double* acc) {
  if constexpr (T > 1) {
    if (terms < T) return dot_terms<Ops, T - 1>(terms, a, a_stride, rows, n, src, src_stride, acc);
  }
  dot_block<Ops, T>(a, a_stride, rows, n, src, src_stride, acc);
}

template <class Ops>
void dot_rows(const float* a, size_t a_stride, size_t rows, size_t n, const float* const* src, size_t src_stride,
              size_t terms, double* acc) {
  for (size_t t0 = 0; t0 < terms; t0 += Ops::kMostTerms) {
    const size_t count = std::min(Ops::kMostTerms, terms - t0);
    dot_terms<Ops>(count, a, a_stride, rows, n, src + t0, src_stride, acc + t0);
  }
}

template <class Ops>
const DepthwiseKernels& kernels_for() {
  static const DepthwiseKernels table{weighted_rows<Ops>, dot_rows<Ops>};
  return table;
}

}  // namespace
}  // namespace dendrite::depthwise
