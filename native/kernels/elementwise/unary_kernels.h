// Span kernels behind unary_op / unary_backward, one table per ISA and per
// home directory: elementwise/ has the plain math ops, activation/ the
// activations (each op's home is in its line of DENDRITE_UNARY_OPS). Each
// entry processes [0, n) on the calling thread; unary.cc splits the work
// across threads. The _avx2 tables exist only in x86 builds, the _neon ones
// only in arm64 builds (see isa_select.h).
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

// The ops whose home is Math.
UnarySpanKernels math_unary_kernels_scalar(UnaryOp op);
UnarySpanKernels math_unary_kernels_avx2(UnaryOp op);
UnarySpanKernels math_unary_kernels_neon(UnaryOp op);

// The ops whose home is Activation, defined in native/kernels/activation/.
UnarySpanKernels activation_kernels_scalar(UnaryOp op);
UnarySpanKernels activation_kernels_avx2(UnaryOp op);
UnarySpanKernels activation_kernels_neon(UnaryOp op);

}  // namespace dendrite
