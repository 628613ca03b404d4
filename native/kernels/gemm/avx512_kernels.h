// The AVX-512 GEMM building blocks (see gemm_kernels.h for their contracts).
// Declarations only: the definitions live in *_avx512.cc files.
#pragma once

#include "gemm/gemm_kernels.h"

namespace dendrite::gemm {

// Tiles of 12×32 and 8×32: 12 rows × two 16-float vectors are 24 of the 32
// zmm registers, leaving room for the two B vectors and the A broadcast; 8
// rows still keep both FMA ports busy and waste no rows when M is a multiple
// of 8 but not of 12 (64 output channels: 72 rows of 12-row tiles).
constexpr size_t kAvx512NR = 32;

template <size_t MR>
void pack_a_avx512(Operand a, size_t rows, size_t kc, float* packed);
void pack_b_avx512(Operand b, size_t kc, size_t cols, float* packed);
template <size_t MR>
void micro_kernel_avx512(size_t kc, const float* a_panel, const float* b_panel, float* c, size_t ldc,
                         float alpha, float beta, size_t mr, size_t nr, const float* a_next,
                         const float* b_next);

}  // namespace dendrite::gemm
