// Portable MR×NR micro-kernel: the same register-tile arithmetic as the SIMD
// kernels, written so the compiler can vectorise it with baseline flags.
#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

void micro_kernel_scalar(size_t kc, const float* a_panel, const float* b_panel, float* c, size_t ldc,
                         float alpha, float beta, size_t mr, size_t nr, const float*, const float*) {
  float acc[kMR][kNR] = {};
  for (size_t p = 0; p < kc; ++p) {
    const float* ap = a_panel + p * kMR;
    const float* bp = b_panel + p * kNR;
    for (size_t i = 0; i < kMR; ++i) {
      for (size_t j = 0; j < kNR; ++j) acc[i][j] += ap[i] * bp[j];
    }
  }
  for (size_t i = 0; i < mr; ++i) {
    float* crow = c + i * ldc;
    if (beta == 0.0f) {
      for (size_t j = 0; j < nr; ++j) crow[j] = alpha * acc[i][j];
    } else {
      for (size_t j = 0; j < nr; ++j) crow[j] = alpha * acc[i][j] + beta * crow[j];
    }
  }
}

}  // namespace dendrite::gemm
