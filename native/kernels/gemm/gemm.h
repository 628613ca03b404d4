// Single-precision matrix product on row-major matrices:
//   C[m×n] = alpha · op(A) · op(B) + beta · C
// op(A) is A (m×k, leading dimension lda) or, with trans_a, Aᵀ where A is k×m.
// op(B) is B (k×n, ldb) or, with trans_b, Bᵀ where B is n×k.
// beta == 0 never reads C (it may hold NaN). m, n or k may be 0.
//
// Scratch comes from ctx.workspace under per-thread keys, so calls sharing a
// workspace must not run at the same time from different threads (a kernel
// that wants many small products at once uses gemm_f32_batched, which runs
// them side by side safely).
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

void gemm_f32(const Context& ctx, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
              float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
              float* c, size_t ldc);

// Strided batched product: for i < batch, C_i = alpha·op(A_i)·op(B_i) + beta·C_i
// where X_i starts at x + i·stride_x; a stride of 0 reuses one matrix for
// every entry (broadcasting). Output matrices may overlap only if they are
// computed one after another, which happens whenever they would overlap.
void gemm_f32_batched(const Context& ctx, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
                      float alpha, const float* a, size_t lda, size_t stride_a, const float* b,
                      size_t ldb, size_t stride_b, float beta, float* c, size_t ldc, size_t stride_c,
                      size_t batch);

}  // namespace dendrite
