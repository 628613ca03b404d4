// Portable packing of A blocks and B panels into the micro-panel layout of
// gemm_kernels.h. Transposed operands are read in place, never copied first.
#include <algorithm>

#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

void pack_a_scalar(Operand a, size_t rows, size_t kc, float* packed) {
  for (size_t i0 = 0; i0 < rows; i0 += kMR) {
    size_t mr = std::min(kMR, rows - i0);
    float* out = packed + i0 * kc;  // panel i0/kMR starts at (i0/kMR)·kMR·kc
    for (size_t p = 0; p < kc; ++p) {
      for (size_t i = 0; i < kMR; ++i) {
        float v = 0.0f;
        if (i < mr) v = a.trans ? a.data[p * a.ld + i0 + i] : a.data[(i0 + i) * a.ld + p];
        out[p * kMR + i] = v;
      }
    }
  }
}

void pack_b_scalar(Operand b, size_t kc, size_t cols, float* packed) {
  for (size_t j0 = 0; j0 < cols; j0 += kNR) {
    size_t nr = std::min(kNR, cols - j0);
    float* out = packed + j0 * kc;
    for (size_t p = 0; p < kc; ++p) {
      for (size_t j = 0; j < kNR; ++j) {
        float v = 0.0f;
        if (j < nr) v = b.trans ? b.data[(j0 + j) * b.ld + p] : b.data[p * b.ld + j0 + j];
        out[p * kNR + j] = v;
      }
    }
  }
}

}  // namespace dendrite::gemm
