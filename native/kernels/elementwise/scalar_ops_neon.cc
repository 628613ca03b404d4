// NEON kernels of scalar_ops.h; same definitions as scalar_ops_scalar.cc. The
// span loops are vector_kernels.h's; this file holds the math.
#include <arm_neon.h>

#include <cmath>

#include "elementwise/simd_neon.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

// NEON's FMAX/FMIN give NaN when either operand is NaN, as torch.maximum,
// torch.minimum and torch.clamp do, so no NaN blends are needed here.
struct Math {
  template <ScalarOp Op>
  static float32x4_t apply(float32x4_t x, float32x4_t s) {
    if constexpr (Op == ScalarOp::Add) return vaddq_f32(x, s);
    else if constexpr (Op == ScalarOp::Mul) return vmulq_f32(x, s);
    else if constexpr (Op == ScalarOp::RSub) return vsubq_f32(s, x);
    else if constexpr (Op == ScalarOp::RDiv) return vdivq_f32(s, x);
    else if constexpr (Op == ScalarOp::Maximum) return vmaxq_f32(x, s);
    else if constexpr (Op == ScalarOp::Minimum) return vminq_f32(x, s);
    else static_assert(kNoKernelFor<Op>, "scalar_ops_neon.cc: a scalar op of ops.h has no math here");
  }

  static float32x4_t square(float32x4_t x) { return vmulq_f32(x, x); }

  static float32x4_t pow_half(float32x4_t x) {
    // + 0 turns sqrt(-0) = -0 into pow's +0; pow(-inf, 0.5) is +inf.
    float32x4_t r = vaddq_f32(vsqrtq_f32(x), vdupq_n_f32(0.0f));
    return vbslq_f32(vceqq_f32(x, vdupq_n_f32(-HUGE_VALF)), vdupq_n_f32(HUGE_VALF), r);
  }

  // lo > hi gives hi, since min comes last.
  static float32x4_t clamp(float32x4_t x, float32x4_t lo, float32x4_t hi) { return vminq_f32(hi, vmaxq_f32(lo, x)); }
};

}  // namespace

const ScalarOpKernels& scalar_op_kernels_neon() { return vector_kernels::scalar_op_kernels<neon::NeonOps, Math>(); }

}  // namespace dendrite
