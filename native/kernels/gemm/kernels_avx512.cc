// The AVX-512 kernel table (used only when the CPU reports F, VL, BW and DQ).
// Products too small to pack keep the AVX2 in-place kernel: they are bound by
// reading B, not by arithmetic.
#include "gemm/avx2_kernels.h"
#include "gemm/avx512_kernels.h"

namespace dendrite::gemm {

const GemmKernels& avx512_gemm_kernels() {
  static const GemmKernels kernels{kAvx512MR, kAvx512NR, pack_a_avx512, pack_b_avx512, micro_kernel_avx512,
                                   small_gemm_avx2, default_blocking(kAvx512MR, kAvx512NR)};
  return kernels;
}

}  // namespace dendrite::gemm
