// The AVX2+FMA kernel table (used only when the CPU reports both).
#include "gemm/avx2_kernels.h"

namespace dendrite::gemm {

const GemmKernels& avx2_gemm_kernels() {
  static const GemmKernels kernels{kMR, kNR, pack_a_avx2, pack_b_avx2, micro_kernel_avx2, small_gemm_avx2,
                                   default_blocking(kMR, kNR)};
  return kernels;
}

}  // namespace dendrite::gemm
