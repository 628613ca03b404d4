#include "elementwise/binary_rows.h"
#include "elementwise/op_dispatch.h"
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

struct Entry {
  template <BinaryOp Op>
  BinaryRowKernel make() const {
    return binary_row<Op>;
  }
};

}  // namespace

BinaryRowKernel binary_row_kernel_scalar(BinaryOp op) {
  return select_binary(op, Entry{});
}

}  // namespace dendrite
