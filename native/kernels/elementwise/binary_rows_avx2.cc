#include <immintrin.h>

#include "elementwise/binary_rows.h"
#include "elementwise/op_dispatch.h"
#include "elementwise/scalar_math.h"
#include "elementwise/simd_avx2.h"

namespace dendrite {
namespace {

using elementwise_detail::apply_binary;

template <BinaryOp Op>
inline __m256 apply(__m256 a, __m256 b) {
  if constexpr (Op == BinaryOp::Add) return _mm256_add_ps(a, b);
  if constexpr (Op == BinaryOp::Sub) return _mm256_sub_ps(a, b);
  if constexpr (Op == BinaryOp::Mul) return _mm256_mul_ps(a, b);
  if constexpr (Op == BinaryOp::Div) return _mm256_div_ps(a, b);
  if constexpr (Op == BinaryOp::Maximum || Op == BinaryOp::Minimum) {
    __m256 r = Op == BinaryOp::Maximum ? _mm256_max_ps(a, b) : _mm256_min_ps(a, b);
    // max/min drop NaN; a + b is NaN exactly where either operand is.
    return _mm256_blendv_ps(r, _mm256_add_ps(a, b), _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
  }
}

// A: 0 = a is a row (stride 1), 1 = a is broadcast (stride 0); same for B.
template <BinaryOp Op, bool ScalarA, bool ScalarB>
void vector_row(const float* a, const float* b, float* out, size_t n) {
  if (n == 0) return;
  const __m256 av = _mm256_set1_ps(*a), bv = _mm256_set1_ps(*b);
  auto load_a = [&](size_t i) { return ScalarA ? av : _mm256_loadu_ps(a + i); };
  auto load_b = [&](size_t i) { return ScalarB ? bv : _mm256_loadu_ps(b + i); };
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 r0 = apply<Op>(load_a(i), load_b(i));
    __m256 r1 = apply<Op>(load_a(i + 8), load_b(i + 8));
    _mm256_storeu_ps(out + i, r0);
    _mm256_storeu_ps(out + i + 8, r1);
  }
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, apply<Op>(load_a(i), load_b(i)));
  if (i < n) {
    size_t rest = n - i;
    __m256 x = ScalarA ? av : simd::load_tail(a + i, rest);
    __m256 y = ScalarB ? bv : simd::load_tail(b + i, rest);
    simd::store_tail(out + i, rest, apply<Op>(x, y));
  }
}

template <BinaryOp Op>
void binary_row(const float* a, ptrdiff_t sa, const float* b, ptrdiff_t sb, float* out, size_t n) {
  if constexpr (Op == BinaryOp::Pow) {
    // No vector pow: rare in networks, and libm's is exact to an ulp.
    for (size_t i = 0; i < n; ++i) out[i] = apply_binary<Op>(a[i * sa], b[i * sb]);
  } else {
    if (sa == 1 && sb == 1) return vector_row<Op, false, false>(a, b, out, n);
    if (sa == 1 && sb == 0) return vector_row<Op, false, true>(a, b, out, n);
    if (sa == 0 && sb == 1) return vector_row<Op, true, false>(a, b, out, n);
    if (sa == 0 && sb == 0) return vector_row<Op, true, true>(a, b, out, n);
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

BinaryRowKernel binary_row_kernel_avx2(BinaryOp op) {
  return select_binary(op, Entry{});
}

}  // namespace dendrite
