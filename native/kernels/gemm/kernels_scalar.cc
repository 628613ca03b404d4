// The portable kernel table, always available.
#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

const GemmKernels& scalar_gemm_kernels() {
  static const GemmKernels kernels{kMR, kNR, pack_a_scalar, pack_b_scalar, micro_kernel_scalar, small_gemm_scalar,
                                   default_blocking(kMR, kNR)};
  return kernels;
}

}  // namespace dendrite::gemm
