// Span kernels behind unary_op / unary_backward, one table per ISA and per
// home directory: elementwise/ has the plain math ops, activation/ the
// activations (see is_activation()). Each entry processes [0, n) on the
// calling thread; unary.cc splits the work across threads.
#pragma once

#include <cstddef>

#include "elementwise/ops.h"

namespace dendrite {

using UnaryForwardSpan = void (*)(const float* x, float* out, size_t n, float param);
using UnaryBackwardSpan = void (*)(const float* x, const float* y, const float* gy, float* gx, size_t n,
                                   float param);

struct UnarySpanKernels {
  UnaryForwardSpan forward = nullptr;
  UnaryBackwardSpan backward = nullptr;
};

// Plain math ops (Neg, Abs, Exp, Log, Sqrt, Sign, Square, Reciprocal).
UnarySpanKernels math_unary_kernels_scalar(UnaryOp op);
UnarySpanKernels math_unary_kernels_avx2(UnaryOp op);

// Activations (Relu, Sigmoid, Tanh, LeakyRelu, Elu, Gelu, Silu, Softplus),
// defined in native/kernels/activation/.
UnarySpanKernels activation_kernels_scalar(UnaryOp op);
UnarySpanKernels activation_kernels_avx2(UnaryOp op);

}  // namespace dendrite
