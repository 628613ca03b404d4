// Portable MR×NR micro-kernel. One row of the tile at a time: a 16-float
// accumulator row that the compiler keeps in vector registers with baseline
// flags (a whole 6×16 tile does not fit them, and the compiler's attempts to
// vectorise across rows cost more than re-reading the B panel from L1).
#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

void micro_kernel_scalar(size_t kc, const float* a_panel, const float* b_panel, float* c, size_t ldc,
                         float alpha, float beta, size_t mr, size_t nr, const float*, const float*) {
  for (size_t i = 0; i < mr; ++i) {
    float acc[kNR] = {};
    const float* ap = a_panel + i;
    const float* bp = b_panel;
    for (size_t p = 0; p < kc; ++p, ap += kMR, bp += kNR) {
      const float av = *ap;
      for (size_t j = 0; j < kNR; ++j) acc[j] += av * bp[j];
    }
    float* crow = c + i * ldc;
    if (beta == 0.0f) {
      for (size_t j = 0; j < nr; ++j) crow[j] = alpha * acc[j];
    } else {
      for (size_t j = 0; j < nr; ++j) crow[j] = alpha * acc[j] + beta * crow[j];
    }
  }
}

}  // namespace dendrite::gemm
