// The 16-lane AVX-512 vector operations the Winograd transforms are written
// in (see winograd_transforms.h). Include from *_avx512.cc files only.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace dendrite::winograd {

struct Avx512Ops {
  static constexpr size_t kLanes = 16;
  using Vec = __m512;
  using Idx = __m512i;
  using Mask = __mmask16;

  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec broadcast(float s) { return _mm512_set1_ps(s); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
  static Vec load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
  // Lanes [0, count) of v to p[0, count), count <= kLanes.
  static void store_first(float* p, Vec v, size_t count) {
    _mm512_mask_storeu_ps(p, __mmask16((1u << count) - 1u), v);
  }
  static Idx indices(const int32_t* lanes) { return _mm512_loadu_si512(lanes); }
  static Idx offset(Idx i, int32_t by) { return _mm512_add_epi32(i, _mm512_set1_epi32(by)); }
  static Mask mask(uint32_t lane_bits) { return __mmask16(lane_bits); }
  // base[i[l]] for the lanes in m, 0 in the others (which are not read).
  static Vec gather(const float* base, Idx i, Mask m) {
    return _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, i, base, 4);
  }
  // base[i[l]] = v[l] for the lanes in m.
  static void scatter(float* base, Idx i, Mask m, Vec v) { _mm512_mask_i32scatter_ps(base, m, i, v, 4); }
};

}  // namespace dendrite::winograd
