// Span kernels behind scalar_ops.h, one table per ISA.
#pragma once

#include <cstddef>

#include "elementwise/ops.h"

namespace dendrite {

// out[i] = x[i] op s for one op (the scalar_op entry below picks it).
using ScalarSpan = void (*)(const float* x, float s, float* out, size_t n);

struct ScalarOpKernels {
  // Pow is only ever called with exponents other than 0, 1 and -1 (scalar_ops.cc
  // maps those to fill, Mul and RDiv).
  void (*scalar_op)(ScalarOp op, const float* x, float s, float* out, size_t n);
  void (*clamp)(const float* x, float lo, float hi, float* out, size_t n);
  void (*fill)(float* out, size_t n, float value);
  void (*axpy)(float alpha, const float* x, float* y, size_t n);
};

const ScalarOpKernels& scalar_op_kernels_scalar();
const ScalarOpKernels& scalar_op_kernels_avx2();  // x86 builds only
const ScalarOpKernels& scalar_op_kernels_neon();  // arm64 builds only

}  // namespace dendrite
