// The basic eight-lane AVX2 + FMA vector operations that every kernel
// family's ops struct starts from (elementwise, norm, depthwise, Winograd,
// inference, optimizers), and the loads and stores of a span's tail.
// Include ONLY from files compiled with -mavx2 -mfma. Everything has internal
// linkage, so no AVX2-compiled copy can be picked by the linker for code that
// runs on CPUs without AVX2.
//
//   load_first(p, n[, fill])  the first n lanes (n <= 8) from p, the others
//                             `fill` (0); nothing past p + n is read
//   store_first(p, v, n)      the first n lanes (n <= 8) of v; nothing past
//                             p + n is written
#pragma once

#include <immintrin.h>

#include <cstddef>

namespace dendrite::cpu {

// Tails of spans go through plain 128/64/32-bit moves rather than vmaskmov:
// the cost is the same on every x86 core, while vmaskmovps stores are
// microcoded and slow on some (AMD Zen 1/2).

// count in [0, 3] floats into the low lanes of `fill`.
static inline __m128 load_partial4(const float* p, size_t count, __m128 fill) {
  switch (count) {
    case 0: return fill;
    case 1: return _mm_move_ss(fill, _mm_load_ss(p));
    case 2: return _mm_loadl_pi(fill, reinterpret_cast<const __m64*>(p));
    default: return _mm_insert_ps(_mm_loadl_pi(fill, reinterpret_cast<const __m64*>(p)), _mm_load_ss(p + 2), 0x20);
  }
}

static inline void store_partial4(float* p, size_t count, __m128 v) {
  if (count >= 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(p), v);
    if (count == 3) _mm_store_ss(p + 2, _mm_movehl_ps(v, v));
  } else if (count == 1) {
    _mm_store_ss(p, v);
  }
}

// Loads `count` floats (< 8); the other lanes are `fill`. Never touches memory past p + count.
static inline __m256 load_tail(const float* p, size_t count, __m256 fill) {
  __m128 fill_lo = _mm256_castps256_ps128(fill), fill_hi = _mm256_extractf128_ps(fill, 1);
  __m128 lo, hi;
  if (count >= 4) {
    lo = _mm_loadu_ps(p);
    hi = load_partial4(p + 4, count - 4, fill_hi);
  } else {
    lo = load_partial4(p, count, fill_lo);
    hi = fill_hi;
  }
  return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
}

static inline __m256 load_tail(const float* p, size_t count) { return load_tail(p, count, _mm256_setzero_ps()); }

// Stores the low `count` lanes (< 8) of v; nothing past p + count is written.
static inline void store_tail(float* p, size_t count, __m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  if (count >= 4) {
    _mm_storeu_ps(p, lo);
    store_partial4(p + 4, count - 4, _mm256_extractf128_ps(v, 1));
  } else {
    store_partial4(p, count, lo);
  }
}

// Up to 8 floats (count in [0, 8]; more reads or writes 8).
static inline __m256 load_upto8(const float* p, size_t count, __m256 fill) {
  return count >= 8 ? _mm256_loadu_ps(p) : load_tail(p, count, fill);
}
static inline void store_upto8(float* p, size_t count, __m256 v) {
  if (count >= 8) _mm256_storeu_ps(p, v);
  else store_tail(p, count, v);
}

namespace {

struct Avx2Vec {
  static constexpr size_t kLanes = 8;
  using Vec = __m256;
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec broadcast(float s) { return _mm256_set1_ps(s); }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static Vec load_first(const float* p, size_t n) { return load_upto8(p, n, _mm256_setzero_ps()); }
  static Vec load_first(const float* p, size_t n, Vec fill) { return load_upto8(p, n, fill); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static void store_first(float* p, Vec v, size_t n) { store_upto8(p, n, v); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm256_div_ps(a, b); }
  static Vec max(Vec a, Vec b) { return _mm256_max_ps(a, b); }
  static Vec sqrt(Vec a) { return _mm256_sqrt_ps(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }  // a·b + c
};

}  // namespace
}  // namespace dendrite::cpu
