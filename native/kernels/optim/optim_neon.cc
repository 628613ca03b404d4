// NEON optimizer update spans: optim_vector.h over four-lane NEON vectors.
// vfmaq_f32(a, b, c) = a + b·c and vfmsq_f32(a, b, c) = a − b·c, each rounded once.
#include <arm_neon.h>

#include "elementwise/simd_neon.h"
#include "optim/optim_vector.h"

namespace dendrite {
namespace {

struct OptimNeon : neon::NeonOps {
  static float32x4_t abs(float32x4_t a) { return vabsq_f32(a); }
  static float32x4_t fnma(float32x4_t a, float32x4_t b, float32x4_t c) { return vfmsq_f32(c, a, b); }
  static float32x4_t sign(float32x4_t w) {
    const float32x4_t zero = vdupq_n_f32(0.0f);
    const uint32x4_t one = vreinterpretq_u32_f32(vdupq_n_f32(1.0f));
    const uint32x4_t minus_one = vreinterpretq_u32_f32(vdupq_n_f32(-1.0f));
    return vreinterpretq_f32_u32(vorrq_u32(vandq_u32(vcgtq_f32(w, zero), one), vandq_u32(vcltq_f32(w, zero), minus_one)));
  }
  using Wide = neon::Double4;
  static neon::Double4 wide_zero() { return neon::double4_zero(); }
  static neon::Double4 add_widened(neon::Double4 acc, float32x4_t v) { return neon::add_widened(acc, v); }
  static neon::Double4 add_squares_widened(neon::Double4 acc, float32x4_t v) { return neon::add_squares_widened(acc, v); }
  static double wide_sum(neon::Double4 acc) { return neon::sum(acc); }
};

}  // namespace

const OptimKernels& optim_kernels_neon() { return optim_vector::table<OptimNeon>(); }

}  // namespace dendrite
