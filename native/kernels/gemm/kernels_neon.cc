// The NEON kernel table (arm64 builds only; every ARMv8-A core has NEON).
//
// Blocking comes from default_blocking with the 8×12 tile and this core's
// caches (blocking.cc; 64 KiB L1d and 1 MiB L2 when the system does not list
// them). For those sizes: kc = 512, so one 12-column micro-panel of B is
// 24 KiB, at most half of L1, and stays there while the 16 KiB A
// micro-panels stream past it; mc = 128 rows of A (256 KiB, a quarter of
// L2); nc = 384 columns of B (768 KiB, the rest of L2). BLIS's Cortex-A57
// configuration of the same tile (MC 120, KC 640) sits in the same range.
#include "gemm/neon_kernels.h"

namespace dendrite::gemm {

const GemmKernels& neon_gemm_kernels() {
  static const GemmKernels kernels{kNeonMR,         kNeonNR,        pack_a_neon, pack_b_neon, micro_kernel_neon,
                                   small_gemm_neon, default_blocking(kNeonMR, kNeonNR)};
  return kernels;
}

}  // namespace dendrite::gemm
