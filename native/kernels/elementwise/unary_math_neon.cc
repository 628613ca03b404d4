// NEON kernels of the plain unary math ops and their derivatives; same
// definitions as unary_math_scalar.cc.
#include <arm_neon.h>

#include "cpu/vector_math_neon.h"
#include "elementwise/simd_neon.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

// sign with sign(0) = 0 and sign(NaN) = NaN.
inline float32x4_t sign_of(float32x4_t x) {
  const float32x4_t zero = vdupq_n_f32(0.0f);
  uint32x4_t pos = vandq_u32(vcgtq_f32(x, zero), vreinterpretq_u32_f32(vdupq_n_f32(1.0f)));
  uint32x4_t neg = vandq_u32(vcltq_f32(x, zero), vreinterpretq_u32_f32(vdupq_n_f32(-1.0f)));
  return vbslq_f32(neon::is_nan(x), x, vreinterpretq_f32_u32(vorrq_u32(pos, neg)));
}

// Each op's value and derivative (times gy) on a vector; vector_kernels.h runs them over spans.
struct Math {
  template <UnaryOp Op>
  static float32x4_t forward(float32x4_t x, float32x4_t) {
    if constexpr (Op == UnaryOp::Neg) return vnegq_f32(x);
    else if constexpr (Op == UnaryOp::Abs) return vabsq_f32(x);
    else if constexpr (Op == UnaryOp::Exp) return vmath::exp(x);
    else if constexpr (Op == UnaryOp::Log) return vmath::log(x);
    else if constexpr (Op == UnaryOp::Sqrt) return vsqrtq_f32(x);
    else if constexpr (Op == UnaryOp::Sign) return sign_of(x);
    else if constexpr (Op == UnaryOp::Square) return vmulq_f32(x, x);
    else if constexpr (Op == UnaryOp::Reciprocal) return vdivq_f32(vdupq_n_f32(1.0f), x);
    else static_assert(kNoKernelFor<Op>, "unary_math_neon.cc: a Math op of ops.h has no forward here");
  }

  template <UnaryOp Op>
  static float32x4_t backward(float32x4_t x, float32x4_t y, float32x4_t gy, float32x4_t) {
    if constexpr (Op == UnaryOp::Neg) return vnegq_f32(gy);
    else if constexpr (Op == UnaryOp::Abs) return vmulq_f32(gy, sign_of(x));
    else if constexpr (Op == UnaryOp::Exp) return vmulq_f32(gy, y);
    else if constexpr (Op == UnaryOp::Log) return vdivq_f32(gy, x);
    else if constexpr (Op == UnaryOp::Sqrt) return vdivq_f32(gy, vaddq_f32(y, y));
    else if constexpr (Op == UnaryOp::Sign) return vdupq_n_f32(0.0f);
    else if constexpr (Op == UnaryOp::Square) return vmulq_f32(gy, vaddq_f32(x, x));
    else if constexpr (Op == UnaryOp::Reciprocal) return vnegq_f32(vmulq_f32(gy, vmulq_f32(y, y)));
    else static_assert(kNoKernelFor<Op>, "unary_math_neon.cc: a Math op of ops.h has no backward here");
  }
};

}  // namespace

UnarySpanKernels math_unary_kernels_neon(UnaryOp op) {
  return select_unary<UnaryHome::Math>(op, vector_kernels::UnaryEntry<neon::NeonOps, Math>{});
}

}  // namespace dendrite
