// Portable kernels of scalar_ops.h.
#include "elementwise/op_dispatch.h"
#include "elementwise/scalar_math.h"
#include "elementwise/scalar_ops_kernels.h"

namespace dendrite {
namespace {

using elementwise_detail::apply_scalar;

template <ScalarOp Op>
void apply_span(const float* x, float s, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = apply_scalar<Op>(x[i], s);
}

struct Entry {
  template <ScalarOp Op>
  ScalarSpan make() const {
    return apply_span<Op>;
  }
};

void scalar_op_span(ScalarOp op, const float* x, float s, float* out, size_t n) {
  select_scalar(op, Entry{})(x, s, out, n);
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
