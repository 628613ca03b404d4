// The inference kernels' vector operations on AVX2 + FMA: eight lanes.
// (See ops_avx512.h for what each operation means.) Include from *_avx2.cc only.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstddef>

#include "cpu/vec_avx2.h"
#include "gemm/simd_avx2.h"

namespace dendrite::infer {
namespace {

// The basic operations (zero … fma, load_first, store_first) come from cpu::Avx2Vec.
struct Avx2Ops : cpu::Avx2Vec {
  static void store_lanes(float* dst, Vec v, size_t first, size_t count) {
    const __m256i from = _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(int(first)));
    _mm256_maskstore_ps(dst, gemm::avx2::first_lanes(count), _mm256_permutevar8x32_ps(v, from));
  }
  static void deinterleave(const float* p, Vec& even, Vec& odd) { deinterleave(_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8), even, odd); }
  static void deinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
    // shuffle: [a0 a2 b0 b2 | a4 a6 b4 b6]; the 64-bit permute puts the a pairs first.
    even = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
    odd = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
  }
  static Vec load_window(const float* row, std::ptrdiff_t start, size_t w) {
    if (start >= 0) {
      const size_t from = static_cast<size_t>(start);
      return from < w ? _mm256_maskload_ps(row + from, gemm::avx2::first_lanes(w - from)) : zero();
    }
    const size_t skip = static_cast<size_t>(-start);
    if (skip >= kLanes) return zero();
    const __m256 v = _mm256_maskload_ps(row, gemm::avx2::first_lanes(std::min(kLanes - skip, w)));
    const __m256i from = _mm256_sub_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(int(skip)));
    // Lanes below skip: zero (their indices wrapped around).
    const __m256 keep = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(int(skip) - 1)));
    return _mm256_and_ps(_mm256_permutevar8x32_ps(v, from), keep);
  }
  static Vec shift_in(Vec cur, Vec next) {
    const __m256i up = _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 0);
    return _mm256_blend_ps(_mm256_permutevar8x32_ps(cur, up), _mm256_permutevar8x32_ps(next, up), 0x80);
  }
  static void transpose(const float* src, size_t lds, float* dst, size_t ldd) {
    __m256 r[8];
    for (size_t i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + i * lds);
    gemm::avx2::transpose8x8(r);
    for (size_t i = 0; i < 8; ++i) _mm256_storeu_ps(dst + i * ldd, r[i]);
  }
  struct Concat {
    __m256i from_b;  // lane l takes b[l − n] ...
    __m256 take_b;   // ... where l >= n
  };
  static Concat concat_plan(size_t n) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return {_mm256_sub_epi32(lane, _mm256_set1_epi32(int(n))),
            _mm256_castsi256_ps(_mm256_cmpgt_epi32(lane, _mm256_set1_epi32(int(n) - 1)))};
  }
  static Vec concat(Vec a, Vec b, const Concat& plan) {
    return _mm256_blendv_ps(a, _mm256_permutevar8x32_ps(b, plan.from_b), plan.take_b);
  }
  static void sum4(Vec a, Vec b, Vec c, Vec d, float* out) {
    const __m256 ab = _mm256_hadd_ps(a, b), cd = _mm256_hadd_ps(c, d);
    const __m256 abcd = _mm256_hadd_ps(ab, cd);  // [a b c d | a b c d], each a partial sum
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
  }
};

}  // namespace
}  // namespace dendrite::infer
