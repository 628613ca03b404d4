// Small NEON helpers shared by the *_neon.cc kernels: partial vectors at the
// end of a span and reductions across lanes. Include ONLY from *_neon.cc files
// (arm64 builds compile them). NEON has no masked loads or stores, so a
// partial vector is read and written lane by lane, never touching memory past
// the last element. Everything has internal linkage, like the AVX2 helpers.
#pragma once

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

namespace dendrite::neon {

constexpr size_t kLanes = 4;

// p[0, count) in the low lanes (count <= 4; more reads 4), `fill` in the others.
static inline float32x4_t load_first(const float* p, size_t count, float32x4_t fill) {
  switch (count) {
    case 0:
      return fill;
    case 1:
      return vld1q_lane_f32(p, fill, 0);
    case 2:
      return vcombine_f32(vld1_f32(p), vget_high_f32(fill));
    case 3:
      return vld1q_lane_f32(p + 2, vcombine_f32(vld1_f32(p), vget_high_f32(fill)), 2);
    default:
      return vld1q_f32(p);
  }
}

static inline float32x4_t load_first(const float* p, size_t count) { return load_first(p, count, vdupq_n_f32(0.0f)); }

// The low `count` lanes of v to p[0, count) (count <= 4; more writes 4).
static inline void store_first(float* p, float32x4_t v, size_t count) {
  switch (count) {
    case 0:
      return;
    case 1:
      vst1q_lane_f32(p, v, 0);
      return;
    case 2:
      vst1_f32(p, vget_low_f32(v));
      return;
    case 3:
      vst1_f32(p, vget_low_f32(v));
      vst1q_lane_f32(p + 2, v, 2);
      return;
    default:
      vst1q_f32(p, v);
  }
}

static inline void store_first(int32_t* p, int32x4_t v, size_t count) {
  store_first(reinterpret_cast<float*>(p), vreinterpretq_f32_s32(v), count);
}

// Lanes where v is NaN, as an all-ones mask.
static inline uint32x4_t is_nan(float32x4_t v) { return vmvnq_u32(vceqq_f32(v, v)); }

// Adds the four floats of v, widened to double, into the two halves of acc.
struct Double4 {
  float64x2_t lo, hi;
};
static inline Double4 double4_zero() { return {vdupq_n_f64(0.0), vdupq_n_f64(0.0)}; }
static inline Double4 add_widened(Double4 acc, float32x4_t v) {
  return {vaddq_f64(acc.lo, vcvt_f64_f32(vget_low_f32(v))), vaddq_f64(acc.hi, vcvt_high_f64_f32(v))};
}
// acc + v², the square taken in double (exact for a float).
static inline Double4 add_squares_widened(Double4 acc, float32x4_t v) {
  const float64x2_t lo = vcvt_f64_f32(vget_low_f32(v)), hi = vcvt_high_f64_f32(v);
  return {vfmaq_f64(acc.lo, lo, lo), vfmaq_f64(acc.hi, hi, hi)};
}
static inline double sum(Double4 acc) { return vaddvq_f64(vaddq_f64(acc.lo, acc.hi)); }

// The sum / max of all lanes, in every lane. vpaddq pairs neighbours, so two
// rounds give the same total in every lane; vmaxq propagates NaN.
static inline float32x4_t all_lanes_sum(float32x4_t v) {
  v = vpaddq_f32(v, v);
  return vpaddq_f32(v, v);
}
static inline float32x4_t all_lanes_max(float32x4_t v) { return vdupq_n_f32(vmaxvq_f32(v)); }

}  // namespace dendrite::neon
