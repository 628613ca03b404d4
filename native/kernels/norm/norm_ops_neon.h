// The NEON vector operations the normalization kernels are written in
// (norm_templates.h, lrn_templates.h): 4 floats, widened to two vectors of 2
// doubles for sums. Include from *_neon.cc files only.
#pragma once

#include <arm_neon.h>

#include <cstddef>

#include "cpu/simd_neon.h"
#include "cpu/vec_neon.h"
#include "cpu/vector_math_neon.h"

namespace dendrite::norm {

// Internal linkage, as the basic operations it extends (cpu/vec_neon.h).
namespace {

struct NeonOps : cpu::NeonVec {
  using Wide = neon::Double4;

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

}  // namespace
}  // namespace dendrite::norm
