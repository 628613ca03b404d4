// The NEON vector operations the normalization kernels are written in
// (norm_templates.h, lrn_templates.h): 4 floats, widened to two vectors of 2
// doubles for sums. Include from *_neon.cc files only.
#pragma once

#include <arm_neon.h>

#include <cstddef>

#include "cpu/simd_neon.h"
#include "cpu/vector_math_neon.h"

namespace dendrite::norm {

struct NeonOps {
  static constexpr size_t kLanes = neon::kLanes;
  using Vec = float32x4_t;
  using Wide = neon::Double4;

  static Vec zero() { return vdupq_n_f32(0.0f); }
  static Vec broadcast(float s) { return vdupq_n_f32(s); }
  static Vec load(const float* p) { return vld1q_f32(p); }
  // The first `count` (<= kLanes) values of p, `fill` in the other lanes (nothing past p + count is read).
  static Vec load_first(const float* p, size_t count, Vec fill) { return neon::load_first(p, count, fill); }
  static void store(float* p, Vec v) { vst1q_f32(p, v); }
  static void store_first(float* p, Vec v, size_t count) { neon::store_first(p, v, count); }
  static Vec add(Vec a, Vec b) { return vaddq_f32(a, b); }
  static Vec sub(Vec a, Vec b) { return vsubq_f32(a, b); }
  static Vec mul(Vec a, Vec b) { return vmulq_f32(a, b); }
  static Vec div(Vec a, Vec b) { return vdivq_f32(a, b); }
  static Vec sqrt(Vec a) { return vsqrtq_f32(a); }
  static Vec fma(Vec a, Vec b, Vec c) { return vfmaq_f32(c, a, b); }  // a·b + c
  // exp(exponent·log(base)): relative error about 1e-6·(1 + |exponent·log(base)|).
  static Vec pow(Vec base, float exponent) { return vmath::exp(vmulq_f32(vmath::log(base), broadcast(exponent))); }

  static Wide wide_zero() { return neon::double4_zero(); }
  static Wide widen(Vec v) { return {vcvt_f64_f32(vget_low_f32(v)), vcvt_high_f64_f32(v)}; }
  static Wide wide_add(Wide a, Wide b) { return {vaddq_f64(a.lo, b.lo), vaddq_f64(a.hi, b.hi)}; }
  static Wide wide_sub(Wide a, Wide b) { return {vsubq_f64(a.lo, b.lo), vsubq_f64(a.hi, b.hi)}; }
  static Wide wide_fma(Wide a, Wide b, Wide c) { return {vfmaq_f64(c.lo, a.lo, b.lo), vfmaq_f64(c.hi, a.hi, b.hi)}; }
  static double wide_sum(Wide w) { return neon::sum(w); }
  static Wide wide_load(const double* p) { return {vld1q_f64(p), vld1q_f64(p + 2)}; }
  static void wide_store(double* p, Wide w) {
    vst1q_f64(p, w.lo);
    vst1q_f64(p + 2, w.hi);
  }
};

}  // namespace dendrite::norm
