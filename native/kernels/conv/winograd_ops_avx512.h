// The 16-lane AVX-512 vector operations the Winograd transforms are written
// in (see winograd_transforms.h). Include from *_avx512.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "cpu/vec_avx512.h"
#include "gemm/simd_avx512.h"

namespace dendrite::winograd {

// Internal linkage, as the basic operations it extends (cpu/vec_avx512.h).
namespace {

struct Avx512Ops : cpu::Avx512Vec {
  // Whether window rows are loaded whole and permuted (else gathered).
  static constexpr bool kLoadsRows = true;
  using Idx = __m512i;
  using Mask = __mmask16;

  static Idx indices(const int32_t* lanes) { return _mm512_loadu_si512(lanes); }
  static Idx offset(Idx i, int32_t by) { return _mm512_add_epi32(i, _mm512_set1_epi32(by)); }
  static Mask mask(uint32_t lane_bits) { return __mmask16(lane_bits); }
  // base[offset + e] for the bits e of `bits` (others 0, not read).
  static Vec load_masked(const float* base, long offset, uint32_t bits) {
    return _mm512_maskz_loadu_ps(__mmask16(bits), base + offset);
  }
  // dst with the lanes in `lanes` replaced by src[at[l]].
  static Vec permute_into(Vec dst, uint32_t lanes, Idx at, Vec src) {
    return _mm512_mask_permutexvar_ps(dst, __mmask16(lanes), at, src);
  }
  // base[i[l]] for the lanes in m, 0 in the others (which are not read).
  static Vec gather(const float* base, Idx i, Mask m) {
    return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, i, base, 4);
  }
  // a[0], b[0], a[1], b[1], … a[15], b[15] as two vectors.
  struct Pairs {
    __m512 lo, hi;
  };
  static Pairs interleave(Vec a, Vec b) {
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    return {_mm512_permutex2var_ps(a, lo, b), _mm512_permutex2var_ps(a, hi, b)};
  }
  // Values [2·first_lane, 2·first_lane + count) of p to dst[0, count).
  static void store_pairs(float* dst, const Pairs& p, size_t first_lane, size_t count) {
    __m512i at = _mm512_add_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                  _mm512_set1_epi32(static_cast<int>(2 * first_lane)));
    _mm512_mask_storeu_ps(dst, gemm::avx512::first_lanes(count), _mm512_permutex2var_ps(p.lo, at, p.hi));
    if (count <= 16) return;
    at = _mm512_add_epi32(at, _mm512_set1_epi32(16));
    _mm512_mask_storeu_ps(dst + 16, gemm::avx512::first_lanes(count - 16), _mm512_permutex2var_ps(p.lo, at, p.hi));
  }
};

}  // namespace
}  // namespace dendrite::winograd
