// NEON row kernels of the broadcasting binary op; same definitions as
// binary_rows_scalar.cc. The row loops are vector_kernels.h's; this file
// holds the math.
#include <arm_neon.h>

#include "elementwise/binary_rows.h"
#include "elementwise/simd_neon.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

struct Math {
  template <BinaryOp Op>
  static float32x4_t apply(float32x4_t a, float32x4_t b) {
    if constexpr (Op == BinaryOp::Add) return vaddq_f32(a, b);
    else if constexpr (Op == BinaryOp::Sub) return vsubq_f32(a, b);
    else if constexpr (Op == BinaryOp::Mul) return vmulq_f32(a, b);
    else if constexpr (Op == BinaryOp::Div) return vdivq_f32(a, b);
    // FMAX/FMIN give NaN when either operand is NaN, as torch.maximum/minimum.
    else if constexpr (Op == BinaryOp::Maximum) return vmaxq_f32(a, b);
    else if constexpr (Op == BinaryOp::Minimum) return vminq_f32(a, b);
    else static_assert(kNoKernelFor<Op>, "binary_rows_neon.cc: a vectorised op of ops.h has no math here");
  }
};

struct Entry {
  template <BinaryOp Op>
  BinaryRowKernel make() const {
    return vector_kernels::binary_row<neon::NeonOps, Math, Op>;
  }
};

}  // namespace

BinaryRowKernel binary_row_kernel_neon(BinaryOp op) {
  return select_binary(op, Entry{});
}

}  // namespace dendrite
