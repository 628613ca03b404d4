// The 8-lane AVX2 vector operations the Winograd transforms are written in
// (see winograd_transforms.h). Include from *_avx2.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace dendrite::winograd {

struct Avx2Ops {
  static constexpr size_t kLanes = 8;
  using Vec = __m256;
  using Idx = __m256i;
  // AVX2 gathers take a vector mask; its scatter is done lane by lane, from the bits.
  struct Mask {
    __m256i lanes;
    uint32_t bits;
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
    return {_mm256_cmpeq_epi32(set, bit), lane_bits};
  }
  static Vec gather(const float* base, Idx i, Mask m) {
    return _mm256_mask_i32gather_ps(_mm256_setzero_ps(), base, i, _mm256_castsi256_ps(m.lanes), 4);
  }
  static void scatter(float* base, Idx i, Mask m, Vec v) {
    alignas(32) float values[8];
    alignas(32) int32_t where[8];
    _mm256_store_ps(values, v);
    _mm256_store_si256(reinterpret_cast<__m256i*>(where), i);
    for (int l = 0; l < 8; ++l) {
      if ((m.bits >> l) & 1u) base[where[l]] = values[l];
    }
  }
};

}  // namespace dendrite::winograd
