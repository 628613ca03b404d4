// Portable kernels of scalar_ops.h.
#include "elementwise/scalar_math.h"
#include "elementwise/scalar_ops_kernels.h"

namespace dendrite {
namespace {

using elementwise_detail::apply_scalar;

template <ScalarOp Op>
void apply_span(const float* x, float s, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = apply_scalar<Op>(x[i], s);
}

void scalar_op_span(ScalarOp op, const float* x, float s, float* out, size_t n) {
  switch (op) {
    case ScalarOp::Add: return apply_span<ScalarOp::Add>(x, s, out, n);
    case ScalarOp::Mul: return apply_span<ScalarOp::Mul>(x, s, out, n);
    case ScalarOp::Pow: return apply_span<ScalarOp::Pow>(x, s, out, n);
    case ScalarOp::RSub: return apply_span<ScalarOp::RSub>(x, s, out, n);
    case ScalarOp::RDiv: return apply_span<ScalarOp::RDiv>(x, s, out, n);
    case ScalarOp::Maximum: return apply_span<ScalarOp::Maximum>(x, s, out, n);
    case ScalarOp::Minimum: return apply_span<ScalarOp::Minimum>(x, s, out, n);
  }
}

void clamp_span(const float* x, float lo, float hi, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = elementwise_detail::clamp(x[i], lo, hi);
}

void fill_span(float* out, size_t n, float value) {
  for (size_t i = 0; i < n; ++i) out[i] = value;
}

void axpy_span(float alpha, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

}  // namespace

const ScalarOpKernels& scalar_op_kernels_scalar() {
  static const ScalarOpKernels k{scalar_op_span, clamp_span, fill_span, axpy_span};
  return k;
}

}  // namespace dendrite
