// Per-element definitions of the binary and scalar ops, shared by the scalar
// kernels and by the AVX2 kernels for what they do not vectorise (pow, strided
// rows), so both paths agree. Internal linkage on purpose: this header is also
// compiled with -mavx2, and those copies must never replace the portable ones.
#pragma once

#include <cmath>

#include "elementwise/op_dispatch.h"

namespace dendrite::elementwise_detail {

// NaN-propagating maximum/minimum (as torch.maximum/minimum and NumPy).
static inline float maximum(float a, float b) { return (a != a || b != b) ? a + b : (a > b ? a : b); }
static inline float minimum(float a, float b) { return (a != a || b != b) ? a + b : (a < b ? a : b); }

template <BinaryOp Op>
static inline float apply_binary(float a, float b) {
  if constexpr (Op == BinaryOp::Add) return a + b;
  else if constexpr (Op == BinaryOp::Sub) return a - b;
  else if constexpr (Op == BinaryOp::Mul) return a * b;
  else if constexpr (Op == BinaryOp::Div) return a / b;
  else if constexpr (Op == BinaryOp::Pow) return std::pow(a, b);
  else if constexpr (Op == BinaryOp::Maximum) return maximum(a, b);
  else if constexpr (Op == BinaryOp::Minimum) return minimum(a, b);
  else static_assert(kNoKernelFor<Op>, "scalar_math.h: a binary op of ops.h has no definition here");
}

// x^s with the exponents networks use most done exactly and cheaply: x² as
// x·x, √x as sqrt (with pow's +0 for -0 and +inf for -inf).
static inline float pow_scalar_exponent(float x, float s) {
  if (s == 2.0f) return x * x;
  if (s == 0.5f) return x == -HUGE_VALF ? HUGE_VALF : std::sqrt(x) + 0.0f;
  return std::pow(x, s);
}

template <ScalarOp Op>
static inline float apply_scalar(float x, float s) {
  if constexpr (Op == ScalarOp::Add) return x + s;
  else if constexpr (Op == ScalarOp::Mul) return x * s;
  else if constexpr (Op == ScalarOp::Pow) return pow_scalar_exponent(x, s);
  else if constexpr (Op == ScalarOp::RSub) return s - x;
  else if constexpr (Op == ScalarOp::RDiv) return s / x;
  else if constexpr (Op == ScalarOp::Maximum) return maximum(x, s);
  else if constexpr (Op == ScalarOp::Minimum) return minimum(x, s);
  else static_assert(kNoKernelFor<Op>, "scalar_math.h: a scalar op of ops.h has no definition here");
}

// Clamp that keeps NaN and, for lo > hi, returns hi (as torch.clamp).
static inline float clamp(float x, float lo, float hi) {
  if (x != x) return x;
  float y = x < lo ? lo : x;
  return y > hi ? hi : y;
}

}  // namespace dendrite::elementwise_detail
