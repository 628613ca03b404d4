// Small AVX2 helpers shared by the *_avx2.cc kernels: masked loads and stores
// for the tail of a span, and horizontal reductions. Include ONLY from files
// compiled with -mavx2 -mfma. Everything here has internal linkage so no
// AVX2-compiled copy of an inline function can be picked by the linker for
// code that runs on CPUs without AVX2.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "cpu/vec_avx2.h"
#include "elementwise/span_loops.h"

namespace dendrite::simd {

// The tail loads and stores (load_tail, store_tail, load_upto8, store_upto8)
// live with the basic vector operations in cpu/vec_avx2.h.
using cpu::load_tail;
using cpu::load_upto8;
using cpu::store_tail;
using cpu::store_upto8;

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
struct Avx2Ops : cpu::Avx2Vec {};
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
