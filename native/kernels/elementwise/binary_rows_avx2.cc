// AVX2 row kernels of the broadcasting binary op; same definitions as
// binary_rows_scalar.cc. The row loops are vector_kernels.h's; this file
// holds the math.
#include <immintrin.h>

#include "elementwise/binary_rows.h"
#include "elementwise/simd_avx2.h"
#include "elementwise/vector_kernels.h"

namespace dendrite {
namespace {

struct Math {
  template <BinaryOp Op>
  static __m256 apply(__m256 a, __m256 b) {
    if constexpr (Op == BinaryOp::Add) {
      return _mm256_add_ps(a, b);
    } else if constexpr (Op == BinaryOp::Sub) {
      return _mm256_sub_ps(a, b);
    } else if constexpr (Op == BinaryOp::Mul) {
      return _mm256_mul_ps(a, b);
    } else if constexpr (Op == BinaryOp::Div) {
      return _mm256_div_ps(a, b);
    } else if constexpr (Op == BinaryOp::Maximum || Op == BinaryOp::Minimum) {
      __m256 r = Op == BinaryOp::Maximum ? _mm256_max_ps(a, b) : _mm256_min_ps(a, b);
      // max/min drop NaN; a + b is NaN exactly where either operand is.
      return _mm256_blendv_ps(r, _mm256_add_ps(a, b), _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
    } else {
      static_assert(kNoKernelFor<Op>, "binary_rows_avx2.cc: a vectorised op of ops.h has no math here");
    }
  }
};

struct Entry {
  template <BinaryOp Op>
  BinaryRowKernel make() const {
    return vector_kernels::binary_row<simd::Avx2Ops, Math, Op>;
  }
};

}  // namespace

BinaryRowKernel binary_row_kernel_avx2(BinaryOp op) {
  return select_binary(op, Entry{});
}

}  // namespace dendrite
