// The NEON GEMM building blocks for arm64 (see gemm_kernels.h for their
// contracts). Declarations only: the definitions live in *_neon.cc files,
// which only arm64 builds compile.
#pragma once

#include "gemm/gemm_kernels.h"

namespace dendrite::gemm {

// The 8×12 tile: 8 rows × three 4-float vectors are 24 accumulators of
// NEON's 32 registers, leaving two for the 8 values of A (used lane by lane
// through fmla by element, so A needs no broadcasts) and three for the 12
// values of B. Each k step is 5 vector loads and 24 fmla (96 multiply-adds).
constexpr size_t kNeonMR = 8;
constexpr size_t kNeonNR = 12;

void pack_a_neon(Operand a, size_t rows, size_t kc, float* packed);
void pack_b_neon(Operand b, size_t kc, size_t cols, float* packed);
void micro_kernel_neon(size_t kc, const float* a_panel, const float* b_panel, float* c, size_t ldc,
                       float alpha, float beta, size_t mr, size_t nr, const float* a_next,
                       const float* b_next);
void small_gemm_neon(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                     float* c, size_t ldc);

}  // namespace dendrite::gemm
