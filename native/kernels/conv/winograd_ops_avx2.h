// The 8-lane AVX2 vector operations the Winograd transforms are written in
// (see winograd_transforms.h). Include from *_avx2.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "cpu/vec_avx2.h"
#include "gemm/simd_avx2.h"

namespace dendrite::winograd {

// Internal linkage, as the basic operations it extends (cpu/vec_avx2.h).
namespace {

struct Avx2Ops : cpu::Avx2Vec {
  // Whether window rows are loaded whole and permuted (else gathered).
  static constexpr bool kLoadsRows = false;
  using Idx = __m256i;
  using Mask = __m256i;  // all ones in the lanes on

  static Idx indices(const int32_t* lanes) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lanes)); }
  static Idx offset(Idx i, int32_t by) { return _mm256_add_epi32(i, _mm256_set1_epi32(by)); }
  static Mask mask(uint32_t lane_bits) {
    const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const __m256i set = _mm256_and_si256(_mm256_set1_epi32(static_cast<int>(lane_bits)), bit);
    return _mm256_cmpeq_epi32(set, bit);
  }
  static Vec gather(const float* base, Idx i, Mask m) {
    return _mm256_mask_i32gather_ps(_mm256_setzero_ps(), base, i, _mm256_castsi256_ps(m), 4);
  }
  // a[0], b[0], a[1], b[1], … a[7], b[7] as two vectors.
  struct Pairs {
    __m256 lo, hi;
  };
  static Pairs interleave(Vec a, Vec b) {
    const __m256 low = _mm256_unpacklo_ps(a, b), high = _mm256_unpackhi_ps(a, b);  // lanes 0,1,4,5 | 2,3,6,7
    return {_mm256_permute2f128_ps(low, high, 0x20), _mm256_permute2f128_ps(low, high, 0x31)};
  }
  // Values [2·first_lane, 2·first_lane + count) of p to dst[0, count), by
  // permuting both halves into place (a library memcpy per run cost a tenth of
  // W2b, and a trip through a buffer stalls store forwarding).
  static void store_pairs(float* dst, const Pairs& p, size_t first_lane, size_t count) {
    const __m256i at = _mm256_add_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                        _mm256_set1_epi32(static_cast<int>(2 * first_lane)));
    const __m256i lane = _mm256_and_si256(at, _mm256_set1_epi32(7));
    const __m256 from_lo = _mm256_permutevar8x32_ps(p.lo, lane), from_hi = _mm256_permutevar8x32_ps(p.hi, lane);
    const __m256 in_lo = _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(8), at));
    _mm256_maskstore_ps(dst, gemm::avx2::first_lanes(count), _mm256_blendv_ps(from_hi, from_lo, in_lo));
    if (count > 8) _mm256_maskstore_ps(dst + 8, gemm::avx2::first_lanes(count - 8), from_hi);
  }
};

}  // namespace
}  // namespace dendrite::winograd
