// The AVX-512 kernel tables (used only when the CPU reports F, VL, BW and DQ).
// Products too small to pack keep the AVX2 in-place kernel: they are bound by
// reading B, not by arithmetic.
#include "gemm/avx2_kernels.h"
#include "gemm/avx512_kernels.h"

namespace dendrite::gemm {

namespace {

template <size_t MR>
const GemmKernels& table() {
  static const GemmKernels kernels{MR, kAvx512NR, pack_a_avx512<MR>, pack_b_avx512, micro_kernel_avx512<MR>,
                                   small_gemm_avx2, default_blocking(MR, kAvx512NR)};
  return kernels;
}

size_t padding(size_t m, size_t mr) { return (mr - m % mr) % mr; }

}  // namespace

const GemmKernels& avx512_gemm_kernels(size_t m) {
  // 12-row tiles keep more accumulators busy; 8-row ones when they pad less
  // (m = 64: 72 rows of 12-row tiles, 11% of the work wasted).
  if (padding(m, 8) < padding(m, 12)) return table<8>();
  return table<12>();
}

}  // namespace dendrite::gemm
