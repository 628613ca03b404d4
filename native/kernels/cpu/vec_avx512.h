// The basic sixteen-lane AVX-512 vector operations that every kernel family's
// ops struct starts from (norm, depthwise, Winograd, inference). Include ONLY
// from files compiled with the AVX-512 flags; internal linkage, as in
// vec_avx2.h.
//
//   load_first(p, n[, fill])  the first n lanes (n <= 16) from p, the others
//                             `fill` (0); nothing past p + n is read
//   store_first(p, v, n)      the first n lanes (n <= 16) of v; nothing past
//                             p + n is written
// Whole vectors go through plain moves: masked stores are slower on some
// cores (AMD's among them), and most calls are whole.
#pragma once

#include <immintrin.h>

#include <cstddef>

#include "gemm/simd_avx512.h"

namespace dendrite::cpu {
namespace {

struct Avx512Vec {
  static constexpr size_t kLanes = 16;
  using Vec = __m512;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec broadcast(float s) { return _mm512_set1_ps(s); }
  static Vec load(const float* p) { return _mm512_loadu_ps(p); }
  static Vec load_first(const float* p, size_t n, Vec fill) {
    return n >= kLanes ? _mm512_loadu_ps(p) : _mm512_mask_loadu_ps(fill, gemm::avx512::first_lanes(n), p);
  }
  static Vec load_first(const float* p, size_t n) { return load_first(p, n, _mm512_setzero_ps()); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
  static void store_first(float* p, Vec v, size_t n) {
    if (n >= kLanes) _mm512_storeu_ps(p, v);
    else _mm512_mask_storeu_ps(p, gemm::avx512::first_lanes(n), v);
  }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm512_div_ps(a, b); }
  static Vec max(Vec a, Vec b) { return _mm512_max_ps(a, b); }
  static Vec sqrt(Vec a) { return _mm512_sqrt_ps(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }  // a·b + c
};

}  // namespace
}  // namespace dendrite::cpu
