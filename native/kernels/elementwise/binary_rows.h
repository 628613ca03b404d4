// Row kernels of the broadcasting binary op: out[i] = a[i·sa] op b[i·sb] for
// i < n. binary.cc walks the broadcast shape and calls one of these per row;
// each ISA supplies its own (stride pairs (1,1), (1,0), (0,1) are the fast ones).
#pragma once

#include <cstddef>

#include "elementwise/ops.h"

namespace dendrite {

using BinaryRowKernel = void (*)(const float* a, ptrdiff_t sa, const float* b, ptrdiff_t sb, float* out,
                                 size_t n);

BinaryRowKernel binary_row_kernel_scalar(BinaryOp op);
BinaryRowKernel binary_row_kernel_avx2(BinaryOp op);  // x86 builds only
BinaryRowKernel binary_row_kernel_neon(BinaryOp op);  // arm64 builds only

}  // namespace dendrite
