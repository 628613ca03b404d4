// The inference kernels' vector operations on AVX-512: sixteen lanes.
// Include from *_avx512.cc only.
//
//   load_first / store_first   the first n lanes (n ≤ kLanes); the others are
//                              neither read nor written (read as 0)
//   store_lanes(dst, v, f, n)  lanes f .. f+n−1 of v to dst[0 .. n)
//   deinterleave(p, e, o)      e = p[0], p[2], …; o = p[1], p[3], …
//                              (reads 2·kLanes floats; or of the lanes of a then b)
//   sum4(a, b, c, d, out)      out[0..3] = the lane sums of a, b, c, d
//   load_window(row, s, w)     lane l = row[s + l] where 0 <= s + l < w, else 0
//                              (reads nothing outside the row)
//   shift_in(cur, next)        cur's lanes 1 .. kLanes−1, then next's lane 0
//   transpose(src, lds, dst, ldd)  dst[j·ldd + i] = src[i·lds + j], i, j < kLanes
//   concat(a, b, concat_plan(n))   a's first n lanes, then b's (n ≤ kLanes / 2)
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <cstddef>

#include "cpu/vec_avx512.h"
#include "gemm/simd_avx512.h"

namespace dendrite::infer {
namespace {

// The basic operations (zero … fma, load_first, store_first) come from cpu::Avx512Vec.
struct Avx512Ops : cpu::Avx512Vec {
  static void store_lanes(float* dst, Vec v, size_t first, size_t count) {
    const __m512i from = _mm512_add_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(int(first)));
    _mm512_mask_storeu_ps(dst, gemm::avx512::first_lanes(count), _mm512_permutexvar_ps(from, v));
  }
  static void deinterleave(const float* p, Vec& even, Vec& odd) { deinterleave(_mm512_loadu_ps(p), _mm512_loadu_ps(p + 16), even, odd); }
  static void deinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    even = _mm512_permutex2var_ps(a, evens, b);
    odd = _mm512_permutex2var_ps(a, _mm512_add_epi32(evens, _mm512_set1_epi32(1)), b);
  }
  static Vec load_window(const float* row, std::ptrdiff_t start, size_t w) {
    if (start >= 0) {
      const size_t from = static_cast<size_t>(start);
      return from < w ? _mm512_maskz_loadu_ps(gemm::avx512::first_lanes(w - from), row + from) : zero();
    }
    const size_t skip = static_cast<size_t>(-start);
    if (skip >= kLanes) return zero();
    // row[0 ..) into lanes skip .. : loaded to the first lanes, then moved up.
    const __m512 v = _mm512_maskz_loadu_ps(gemm::avx512::first_lanes(std::min(kLanes - skip, w)), row);
    const __m512i from = _mm512_sub_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                          _mm512_set1_epi32(int(skip)));
    return _mm512_maskz_permutexvar_ps(__mmask16(~gemm::avx512::first_lanes(skip)), from, v);
  }
  static Vec shift_in(Vec cur, Vec next) {
    return _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(next), _mm512_castps_si512(cur), 1));
  }
  static void transpose(const float* src, size_t lds, float* dst, size_t ldd) {
    __m512 a[16], b[16];
    for (size_t i = 0; i < 16; i += 2) {
      const __m512 x = _mm512_loadu_ps(src + i * lds), y = _mm512_loadu_ps(src + (i + 1) * lds);
      a[i] = _mm512_unpacklo_ps(x, y);
      a[i + 1] = _mm512_unpackhi_ps(x, y);
    }
    // b[4k + c]: column 4·lane + c of rows 4k .. 4k+3 in each 128-bit lane.
    for (size_t k = 0; k < 16; k += 4) {
      b[k] = _mm512_shuffle_ps(a[k], a[k + 2], 0x44);
      b[k + 1] = _mm512_shuffle_ps(a[k], a[k + 2], 0xEE);
      b[k + 2] = _mm512_shuffle_ps(a[k + 1], a[k + 3], 0x44);
      b[k + 3] = _mm512_shuffle_ps(a[k + 1], a[k + 3], 0xEE);
    }
    for (size_t c = 0; c < 4; ++c) {
      const __m512 lo02 = _mm512_shuffle_f32x4(b[c], b[4 + c], 0x88), lo13 = _mm512_shuffle_f32x4(b[c], b[4 + c], 0xDD);
      const __m512 hi02 = _mm512_shuffle_f32x4(b[8 + c], b[12 + c], 0x88), hi13 = _mm512_shuffle_f32x4(b[8 + c], b[12 + c], 0xDD);
      _mm512_storeu_ps(dst + c * ldd, _mm512_shuffle_f32x4(lo02, hi02, 0x88));
      _mm512_storeu_ps(dst + (4 + c) * ldd, _mm512_shuffle_f32x4(lo13, hi13, 0x88));
      _mm512_storeu_ps(dst + (8 + c) * ldd, _mm512_shuffle_f32x4(lo02, hi02, 0xDD));
      _mm512_storeu_ps(dst + (12 + c) * ldd, _mm512_shuffle_f32x4(lo13, hi13, 0xDD));
    }
  }
  using Concat = __m512i;
  static Concat concat_plan(size_t n) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    // Lane l takes a[l] below n, else b[l − n] (index 16 + l − n of the pair).
    const __mmask16 from_b = _mm512_cmpge_epi32_mask(lane, _mm512_set1_epi32(int(n)));
    return _mm512_mask_add_epi32(lane, from_b, lane, _mm512_set1_epi32(16 - int(n)));
  }
  static Vec concat(Vec a, Vec b, Concat plan) { return _mm512_permutex2var_ps(a, plan, b); }
  static void sum4(Vec a, Vec b, Vec c, Vec d, float* out) {
    // Halve each to 8 lanes, then as on AVX2.
    const auto half = [](__m512 v) {
      return _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    };
    const __m256 ab = _mm256_hadd_ps(half(a), half(b)), cd = _mm256_hadd_ps(half(c), half(d));
    const __m256 abcd = _mm256_hadd_ps(ab, cd);
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
  }
};

}  // namespace
}  // namespace dendrite::infer
