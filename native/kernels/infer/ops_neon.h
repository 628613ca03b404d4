// The inference kernels' vector operations on NEON: four lanes. (See
// ops_avx512.h for what each operation means.) Include from *_neon.cc only.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "cpu/vec_neon.h"

namespace dendrite::infer {
namespace {

// The basic operations (zero … fma, load_first, store_first) come from cpu::NeonVec.
struct NeonOps : cpu::NeonVec {
  // a > b ? a : b, lane by lane: NaN in a gives b, as x86's max and the
  // scalar path do (vmaxq_f32 would propagate it from either side).
  static Vec max(Vec a, Vec b) { return vbslq_f32(vcgtq_f32(a, b), a, b); }
  static void store_lanes(float* dst, Vec v, size_t first, size_t count) {
    float lanes[kLanes];
    vst1q_f32(lanes, v);
    for (size_t i = 0; i < count; ++i) dst[i] = lanes[first + i];
  }
  static void deinterleave(const float* p, Vec& even, Vec& odd) {
    const float32x4x2_t pair = vld2q_f32(p);
    even = pair.val[0], odd = pair.val[1];
  }
  static void deinterleave(Vec a, Vec b, Vec& even, Vec& odd) {
    even = vuzp1q_f32(a, b);
    odd = vuzp2q_f32(a, b);
  }
  static Vec load_window(const float* row, std::ptrdiff_t start, size_t w) {
    float lanes[kLanes];
    for (size_t l = 0; l < kLanes; ++l) {
      const std::ptrdiff_t at = start + static_cast<std::ptrdiff_t>(l);
      lanes[l] = at >= 0 && static_cast<size_t>(at) < w ? row[at] : 0.0f;
    }
    return vld1q_f32(lanes);
  }
  static Vec shift_in(Vec cur, Vec next) { return vextq_f32(cur, next, 1); }
  static void transpose(const float* src, size_t lds, float* dst, size_t ldd) {
    const Vec r0 = vld1q_f32(src), r1 = vld1q_f32(src + lds), r2 = vld1q_f32(src + 2 * lds), r3 = vld1q_f32(src + 3 * lds);
    const Vec t0 = vtrn1q_f32(r0, r1), t1 = vtrn2q_f32(r0, r1), t2 = vtrn1q_f32(r2, r3), t3 = vtrn2q_f32(r2, r3);
    const auto pairs = [](Vec v) { return vreinterpretq_f64_f32(v); };
    vst1q_f32(dst, vreinterpretq_f32_f64(vtrn1q_f64(pairs(t0), pairs(t2))));
    vst1q_f32(dst + ldd, vreinterpretq_f32_f64(vtrn1q_f64(pairs(t1), pairs(t3))));
    vst1q_f32(dst + 2 * ldd, vreinterpretq_f32_f64(vtrn2q_f64(pairs(t0), pairs(t2))));
    vst1q_f32(dst + 3 * ldd, vreinterpretq_f32_f64(vtrn2q_f64(pairs(t1), pairs(t3))));
  }
  // Byte indices into the pair (a, b): lane l takes a[l] below n, else b[l − n].
  using Concat = uint8x16_t;
  static Concat concat_plan(size_t n) {
    uint8_t bytes[16];
    for (size_t l = 0; l < kLanes; ++l) {
      const size_t from = l < n ? l : kLanes + l - n;
      for (size_t b = 0; b < 4; ++b) bytes[4 * l + b] = static_cast<uint8_t>(4 * from + b);
    }
    return vld1q_u8(bytes);
  }
  static Vec concat(Vec a, Vec b, Concat plan) {
    const uint8x16x2_t pair = {{vreinterpretq_u8_f32(a), vreinterpretq_u8_f32(b)}};
    return vreinterpretq_f32_u8(vqtbl2q_u8(pair, plan));
  }
  static void sum4(Vec a, Vec b, Vec c, Vec d, float* out) {
    vst1q_f32(out, vpaddq_f32(vpaddq_f32(a, b), vpaddq_f32(c, d)));
  }
};

}  // namespace
}  // namespace dendrite::infer
