#include "elementwise/unary.h"

#include "elementwise/isa_select.h"
#include "elementwise/unary_kernels.h"

namespace dendrite {
namespace {

UnarySpanKernels kernels_for(const Context& ctx, UnaryOp op) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return is_activation(op) ? activation_kernels_avx2(op) : math_unary_kernels_avx2(op);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (wants_neon(ctx)) return is_activation(op) ? activation_kernels_neon(op) : math_unary_kernels_neon(op);
#endif
  return is_activation(op) ? activation_kernels_scalar(op) : math_unary_kernels_scalar(op);
}

// Elements per thread worth a split: memory-bound ops need large chunks to
// pay for the wake-up; ops that evaluate exp/log/erf pay off sooner.
size_t min_chunk(UnaryOp op) { return cost_of(op) == UnaryCost::Cheap ? 32768 : 8192; }

}  // namespace

void unary_op(const Context& ctx, UnaryOp op, const float* x, float* out, size_t n, float param) {
  UnaryForwardSpan span = kernels_for(ctx, op).forward;
  parallel_for(ctx, n, min_chunk(op), [&](size_t begin, size_t end, int) {
    span(x + begin, out + begin, end - begin, param);
  });
}

void unary_backward(const Context& ctx, UnaryOp op, const float* x, const float* y, const float* gy, float* gx,
                    size_t n, float param) {
  UnaryBackwardSpan span = kernels_for(ctx, op).backward;
  parallel_for(ctx, n, min_chunk(op), [&](size_t begin, size_t end, int) {
    span(x + begin, y + begin, gy + begin, gx + begin, end - begin, param);
  });
}

}  // namespace dendrite
