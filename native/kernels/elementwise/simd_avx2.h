// Small AVX2 helpers shared by the *_avx2.cc kernels: masked loads and stores
// for the tail of a span, and horizontal reductions. Include ONLY from files
// compiled with -mavx2 -mfma. Everything here has internal linkage so no
// AVX2-compiled copy of an inline function can be picked by the linker for
// code that runs on CPUs without AVX2.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "elementwise/span_loops.h"

namespace dendrite::simd {

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

// Up to 8 floats (count in [0, 8]).
static inline __m256 load_upto8(const float* p, size_t count, __m256 fill) {
  return count == 8 ? _mm256_loadu_ps(p) : load_tail(p, count, fill);
}
static inline void store_upto8(float* p, size_t count, __m256 v) {
  if (count == 8) _mm256_storeu_ps(p, v);
  else store_tail(p, count, v);
}

static inline float horizontal_sum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

static inline double horizontal_sum(__m256d v) {
  __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  s = _mm_add_sd(s, _mm_unpackhi_pd(s, s));
  return _mm_cvtsd_f64(s);
}

// Largest lane; a NaN lane is not guaranteed to win (callers that must
// propagate NaN check for it separately).
static inline float horizontal_max(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// The sum / max of all lanes, in every lane (no round trip through a scalar).
static inline __m256 all_lanes_sum(__m256 v) {
  v = _mm256_add_ps(v, _mm256_permute2f128_ps(v, v, 1));
  v = _mm256_add_ps(v, _mm256_shuffle_ps(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  return _mm256_add_ps(v, _mm256_shuffle_ps(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
}

static inline __m256 all_lanes_max(__m256 v) {
  v = _mm256_max_ps(v, _mm256_permute2f128_ps(v, v, 1));
  v = _mm256_max_ps(v, _mm256_shuffle_ps(v, v, _MM_SHUFFLE(1, 0, 3, 2)));
  return _mm256_max_ps(v, _mm256_shuffle_ps(v, v, _MM_SHUFFLE(2, 3, 0, 1)));
}

// Adds the 8 floats of v, widened to double, into acc.
static inline __m256d add_widened(__m256d acc, __m256 v) {
  acc = _mm256_add_pd(acc, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
  return _mm256_add_pd(acc, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
}

// Lanes where v is NaN, as an all-ones mask.
static inline __m256 is_nan(__m256 v) { return _mm256_cmp_ps(v, v, _CMP_UNORD_Q); }

static inline __m256 abs(__m256 v) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v); }

// The AVX2 vector type for the loops of span_loops.h and vector_kernels.h
// (an unnamed namespace gives its members internal linkage too).
namespace {
struct Avx2Ops {
  using Vec = __m256;
  static constexpr size_t kLanes = 8;
  static __m256 load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
  static __m256 broadcast(float s) { return _mm256_set1_ps(s); }
  static __m256 fma(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }
  static __m256 load_first(const float* p, size_t count) { return load_tail(p, count); }
  static void store_first(float* p, __m256 v, size_t count) { store_tail(p, count, v); }
};
}  // namespace

// out[i] = f(x[i]) over a span, eight lanes at a time; the tail goes through
// the same f with partial loads/stores, so every element gets the same math.
template <class F>
static inline void map_span(const float* x, float* out, size_t n, F f) {
  span_loops::map_span<Avx2Ops>(x, out, n, f);
}

// out[i] = f(a[i], b[i], c[i]) (backward kernels: x, y, gy -> gx).
template <class F>
static inline void map_span3(const float* a, const float* b, const float* c, float* out, size_t n, F f) {
  span_loops::map_span3<Avx2Ops>(a, b, c, out, n, f);
}

}  // namespace dendrite::simd
