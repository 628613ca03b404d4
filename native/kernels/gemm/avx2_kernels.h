// The AVX2+FMA GEMM building blocks (see gemm_kernels.h for their contracts).
// Declarations only: the definitions live in *_avx2.cc files.
#pragma once

#include "gemm/gemm_kernels.h"
#include "gemm/tile_6x16.h"

namespace dendrite::gemm {

void pack_a_avx2(Operand a, size_t rows, size_t kc, float* packed);
void pack_b_avx2(Operand b, size_t kc, size_t cols, float* packed);
void micro_kernel_avx2(size_t kc, const float* a_panel, const float* b_panel, float* c, size_t ldc,
                       float alpha, float beta, size_t mr, size_t nr, const float* a_next,
                       const float* b_next);
void small_gemm_avx2(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                     float* c, size_t ldc);

}  // namespace dendrite::gemm
