#include "elementwise/scalar_ops.h"

#include "elementwise/isa_select.h"
#include "elementwise/scalar_ops_kernels.h"

namespace dendrite {
namespace {

const ScalarOpKernels& kernels(const Context& ctx) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return scalar_op_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (wants_neon(ctx)) return scalar_op_kernels_neon();
#endif
  return scalar_op_kernels_scalar();
}

// These kernels stream memory; below this many elements per thread the
// wake-up of another thread costs more than it saves.
constexpr size_t kMinChunk = 32768;

}  // namespace

void scalar_op(const Context& ctx, ScalarOp op, const float* x, float s, float* out, size_t n) {
  // Exponents with an exact cheaper form (pow(x, 0) is 1 even for NaN, as libm).
  if (op == ScalarOp::Pow && s == 0.0f) return fill(ctx, out, n, 1.0f);
  if (op == ScalarOp::Pow && s == 1.0f) op = ScalarOp::Mul;
  if (op == ScalarOp::Pow && s == -1.0f) op = ScalarOp::RDiv, s = 1.0f;
  auto span = kernels(ctx).scalar_op;
  size_t chunk = op == ScalarOp::Pow ? 4096 : kMinChunk;
  parallel_for(ctx, n, chunk, [&](size_t begin, size_t end, int) {
    span(op, x + begin, s, out + begin, end - begin);
  });
}

void clamp(const Context& ctx, const float* x, float lo, float hi, float* out, size_t n) {
  auto span = kernels(ctx).clamp;
  parallel_for(ctx, n, kMinChunk, [&](size_t begin, size_t end, int) {
    span(x + begin, lo, hi, out + begin, end - begin);
  });
}

void fill(const Context& ctx, float* out, size_t n, float value) {
  auto span = kernels(ctx).fill;
  parallel_for(ctx, n, kMinChunk, [&](size_t begin, size_t end, int) { span(out + begin, end - begin, value); });
}

void axpy(const Context& ctx, float alpha, const float* x, float* y, size_t n) {
  auto span = kernels(ctx).axpy;
  parallel_for(ctx, n, kMinChunk, [&](size_t begin, size_t end, int) {
    span(alpha, x + begin, y + begin, end - begin);
  });
}

}  // namespace dendrite
