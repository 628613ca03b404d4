// The basic four-lane NEON vector operations that the kernel families' ops
// structs start from (elementwise, norm, depthwise, optimizers), on the
// partial-vector helpers of simd_neon.h. Include ONLY from *_neon.cc files;
// internal linkage, as in vec_avx2.h.
//
//   load_first(p, n[, fill])  the first n lanes (n <= 4) from p, the others
//                             `fill` (0); nothing past p + n is read
//   store_first(p, v, n)      the first n lanes (n <= 4) of v; nothing past
//                             p + n is written
#pragma once

#include <arm_neon.h>

#include <cstddef>

#include "cpu/simd_neon.h"

namespace dendrite::cpu {
namespace {

struct NeonVec {
  static constexpr size_t kLanes = neon::kLanes;
  using Vec = float32x4_t;
  static Vec zero() { return vdupq_n_f32(0.0f); }
  static Vec broadcast(float s) { return vdupq_n_f32(s); }
  static Vec load(const float* p) { return vld1q_f32(p); }
  static Vec load_first(const float* p, size_t n) { return neon::load_first(p, n); }
  static Vec load_first(const float* p, size_t n, Vec fill) { return neon::load_first(p, n, fill); }
  static void store(float* p, Vec v) { vst1q_f32(p, v); }
  static void store_first(float* p, Vec v, size_t n) { neon::store_first(p, v, n); }
  static Vec add(Vec a, Vec b) { return vaddq_f32(a, b); }
  static Vec sub(Vec a, Vec b) { return vsubq_f32(a, b); }
  static Vec mul(Vec a, Vec b) { return vmulq_f32(a, b); }
  static Vec div(Vec a, Vec b) { return vdivq_f32(a, b); }
  static Vec max(Vec a, Vec b) { return vmaxq_f32(a, b); }
  static Vec sqrt(Vec a) { return vsqrtq_f32(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return vfmaq_f32(c, a, b); }  // a·b + c
};

}  // namespace
}  // namespace dendrite::cpu
