// The NEON vector type for the loops of span_loops.h and vector_kernels.h,
// on the partial-vector helpers of cpu/simd_neon.h. Include ONLY from
// *_neon.cc files.
#pragma once

#include <arm_neon.h>

#include <cstddef>

#include "cpu/simd_neon.h"

namespace dendrite::neon {
// An unnamed namespace gives its members internal linkage, as everything in
// the per-ISA headers has.
namespace {
struct NeonOps {
  using Vec = float32x4_t;
  static constexpr size_t kLanes = 4;
  static float32x4_t load(const float* p) { return vld1q_f32(p); }
  static void store(float* p, float32x4_t v) { vst1q_f32(p, v); }
  static float32x4_t broadcast(float s) { return vdupq_n_f32(s); }
  static float32x4_t fma(float32x4_t a, float32x4_t b, float32x4_t c) { return vfmaq_f32(c, a, b); }
  static float32x4_t load_first(const float* p, size_t count) { return neon::load_first(p, count); }
  static void store_first(float* p, float32x4_t v, size_t count) { neon::store_first(p, v, count); }
};
}  // namespace
}  // namespace dendrite::neon
