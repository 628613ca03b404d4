// NEON activation kernels, forward and backward; same definitions as
// activation_scalar.cc, with the vectorised functions of cpu/vector_math_neon.h.
#include <arm_neon.h>

#include "cpu/vector_math_neon.h"
#include "elementwise/simd_neon.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

inline uint32x4_t positive(float32x4_t x) { return vcgtq_f32(x, vdupq_n_f32(0.0f)); }

inline float32x4_t softplus(float32x4_t x) {
  float32x4_t e = vmath::exp(vnegq_f32(vabsq_f32(x)));
  // max(0, x): NEON's FMAX returns NaN for a NaN operand, so NaN propagates.
  return vaddq_f32(vmaxq_f32(vdupq_n_f32(0.0f), x), vmath::log1p_nonnegative(e));
}

// Each op's value and derivative (times gy) on a vector; vector_kernels.h runs them over spans.
struct Math {
  template <UnaryOp Op>
  static float32x4_t forward(float32x4_t x, float32x4_t p) {
    if constexpr (Op == UnaryOp::Relu) {
      const float32x4_t zero = vdupq_n_f32(0.0f);
      return vbslq_f32(vcleq_f32(x, zero), zero, x);  // NaN stays NaN
    } else if constexpr (Op == UnaryOp::Sigmoid) {
      return vmath::sigmoid(x);
    } else if constexpr (Op == UnaryOp::Tanh) {
      return vmath::tanh(x);
    } else if constexpr (Op == UnaryOp::LeakyRelu) {
      return vbslq_f32(positive(x), x, vmulq_f32(x, p));
    } else if constexpr (Op == UnaryOp::Elu) {
      return vbslq_f32(positive(x), x, vmulq_f32(p, vmath::expm1(x)));
    } else if constexpr (Op == UnaryOp::Gelu) {
      return vmulq_f32(x, vmath::normal_cdf(x));
    } else if constexpr (Op == UnaryOp::Silu) {
      return vmulq_f32(x, vmath::sigmoid(x));
    } else if constexpr (Op == UnaryOp::Softplus) {
      return softplus(x);
    } else {
      static_assert(kNoKernelFor<Op>, "activation_neon.cc: an Activation op of ops.h has no forward here");
    }
  }

  template <UnaryOp Op>
  static float32x4_t backward(float32x4_t x, float32x4_t y, float32x4_t gy, float32x4_t p) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    if constexpr (Op == UnaryOp::Relu) {
      return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(gy), positive(x)));
    } else if constexpr (Op == UnaryOp::Sigmoid) {
      return vmulq_f32(gy, vmulq_f32(y, vsubq_f32(one, y)));
    } else if constexpr (Op == UnaryOp::Tanh) {
      return vmulq_f32(gy, vfmsq_f32(one, y, y));
    } else if constexpr (Op == UnaryOp::LeakyRelu) {
      return vbslq_f32(positive(x), gy, vmulq_f32(gy, p));
    } else if constexpr (Op == UnaryOp::Elu) {
      return vbslq_f32(positive(x), gy, vmulq_f32(gy, vmulq_f32(p, vmath::exp(x))));
    } else if constexpr (Op == UnaryOp::Gelu) {
      return vmulq_f32(gy, vfmaq_f32(vmath::normal_cdf(x), x, vmath::normal_pdf(x)));
    } else if constexpr (Op == UnaryOp::Silu) {
      float32x4_t s = vmath::sigmoid(x);
      return vmulq_f32(gy, vmulq_f32(s, vfmaq_f32(one, x, vsubq_f32(one, s))));
    } else if constexpr (Op == UnaryOp::Softplus) {
      return vmulq_f32(gy, vmath::sigmoid(x));
    } else {
      static_assert(kNoKernelFor<Op>, "activation_neon.cc: an Activation op of ops.h has no backward here");
    }
  }
};

}  // namespace

UnarySpanKernels activation_kernels_neon(UnaryOp op) {
  return select_unary<UnaryHome::Activation>(op, vector_kernels::UnaryEntry<neon::NeonOps, Math>{});
}

}  // namespace dendrite
