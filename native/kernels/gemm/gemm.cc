#include "gemm/gemm.h"

namespace dendrite {

// Straightforward row-parallel product; correct for every shape and operand
// layout. The packed, register-blocked driver replaces it.
void gemm_f32(const Context& ctx, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
              float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
              float* c, size_t ldc) {
  if (m == 0 || n == 0) return;
  parallel_for(ctx, m, 4, [&](size_t i0, size_t i1, int) {
    for (size_t i = i0; i < i1; ++i) {
      float* crow = c + i * ldc;
      for (size_t j = 0; j < n; ++j) crow[j] = beta == 0.0f ? 0.0f : beta * crow[j];
      if (alpha == 0.0f) continue;
      for (size_t p = 0; p < k; ++p) {
        float av = alpha * (trans_a ? a[p * lda + i] : a[i * lda + p]);
        if (!trans_b) {
          const float* brow = b + p * ldb;
          for (size_t j = 0; j < n; ++j) crow[j] += av * brow[j];
        } else {
          for (size_t j = 0; j < n; ++j) crow[j] += av * b[j * ldb + p];
        }
      }
    }
  });
}

}  // namespace dendrite
