// The 8-lane AVX2 vector operations the Winograd transforms are written in
// (see winograd_transforms.h). Include from *_avx2.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dendrite::winograd {

struct Avx2Ops {
  // Whether window rows are loaded whole and permuted (else gathered).
  static constexpr bool kLoadsRows = false;
  static constexpr size_t kLanes = 8;
  using Vec = __m256;
  using Idx = __m256i;
  struct Mask {
    __m256i lanes;  // all ones in the lanes on
  };

  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec broadcast(float s) { return _mm256_set1_ps(s); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static void store_first(float* p, Vec v, size_t count) {
    _mm256_maskstore_ps(p, mask((1u << count) - 1u).lanes, v);
  }
  static Idx indices(const int32_t* lanes) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(lanes)); }
  static Idx offset(Idx i, int32_t by) { return _mm256_add_epi32(i, _mm256_set1_epi32(by)); }
  static Mask mask(uint32_t lane_bits) {
    const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const __m256i set = _mm256_and_si256(_mm256_set1_epi32(static_cast<int>(lane_bits)), bit);
    return {_mm256_cmpeq_epi32(set, bit)};
  }
  static Vec gather(const float* base, Idx i, Mask m) {
    return _mm256_mask_i32gather_ps(_mm256_setzero_ps(), base, i, _mm256_castsi256_ps(m.lanes), 4);
  }
  // a[0], b[0], a[1], b[1], … a[7], b[7] as two vectors.
  struct Pairs {
    __m256 lo, hi;
  };
  static Pairs interleave(Vec a, Vec b) {
    const __m256 low = _mm256_unpacklo_ps(a, b), high = _mm256_unpackhi_ps(a, b);  // lanes 0,1,4,5 | 2,3,6,7
    return {_mm256_permute2f128_ps(low, high, 0x20), _mm256_permute2f128_ps(low, high, 0x31)};
  }
  // Values [2·first_lane, 2·first_lane + count) of p to dst[0, count).
  static void store_pairs(float* dst, const Pairs& p, size_t first_lane, size_t count) {
    alignas(32) float values[16];
    _mm256_store_ps(values, p.lo);
    _mm256_store_ps(values + 8, p.hi);
    std::memcpy(dst, values + 2 * first_lane, count * sizeof(float));
  }
};

}  // namespace dendrite::winograd
