#include "elementwise/binary_rows.h"
#include "elementwise/scalar_math.h"

namespace dendrite {
namespace {

using elementwise_detail::apply_binary;

template <BinaryOp Op>
void binary_row(const float* a, ptrdiff_t sa, const float* b, ptrdiff_t sb, float* out, size_t n) {
  if (sa == 1 && sb == 1) {
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(a[i], b[i]);
  } else if (sa == 1 && sb == 0) {
    const float bv = *b;
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(a[i], bv);
  } else if (sa == 0 && sb == 1) {
    const float av = *a;
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(av, b[i]);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(a[i * sa], b[i * sb]);
  }
}

}  // namespace

BinaryRowKernel binary_row_kernel_scalar(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return binary_row<BinaryOp::Add>;
    case BinaryOp::Sub: return binary_row<BinaryOp::Sub>;
    case BinaryOp::Mul: return binary_row<BinaryOp::Mul>;
    case BinaryOp::Div: return binary_row<BinaryOp::Div>;
    case BinaryOp::Pow: return binary_row<BinaryOp::Pow>;
    case BinaryOp::Maximum: return binary_row<BinaryOp::Maximum>;
    case BinaryOp::Minimum: return binary_row<BinaryOp::Minimum>;
  }
  return nullptr;
}

}  // namespace dendrite
