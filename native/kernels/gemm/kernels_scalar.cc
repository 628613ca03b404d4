// The portable kernel table, always available.
#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

const GemmKernels& scalar_gemm_kernels() {
  static const GemmKernels kernels{pack_a_scalar, pack_b_scalar, micro_kernel_scalar,
                                   small_gemm_scalar};
  return kernels;
}

}  // namespace dendrite::gemm
