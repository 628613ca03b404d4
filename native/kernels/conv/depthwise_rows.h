// The per-ISA inner loops of the direct depthwise convolution (depthwise.h):
// sums of weighted, shifted rows along the output row, and dot products of
// one plane with several shifted ones. Each ISA supplies one table, built
// from the templates of depthwise_rows_impl.h; the plane walking is shared.
#pragma once

#include <cstddef>

#include "cpu/isa.h"

namespace dendrite::depthwise {

// dst[r·dst_stride + u] = init + Σ_t weight[t]·src[t][r·src_stride + u]
// for r < rows, u < n (terms may be 0: dst = init). Reads no src element
// outside those.
using WeightedRowsFn = void (*)(float* dst, size_t dst_stride, size_t rows, size_t n, const float* const* src,
                                size_t src_stride, const float* weight, size_t terms, float init);

// acc[t] += Σ_{r < rows, u < n} a[r·a_stride + u]·src[t][r·src_stride + u]
// for t < terms, summed in float lanes flushed into the doubles every few
// dozen vectors.
using DotRowsFn = void (*)(const float* a, size_t a_stride, size_t rows, size_t n, const float* const* src,
                           size_t src_stride, size_t terms, double* acc);

struct DepthwiseKernels {
  WeightedRowsFn weighted_rows;
  DotRowsFn dot_rows;
};

const DepthwiseKernels& scalar_depthwise_kernels();
#if defined(__x86_64__) || defined(__i386__)
const DepthwiseKernels& avx2_depthwise_kernels();
const DepthwiseKernels& avx512_depthwise_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
const DepthwiseKernels& neon_depthwise_kernels();
#endif

inline const DepthwiseKernels& depthwise_kernels(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == Isa::Avx512) return avx512_depthwise_kernels();
  if (isa == Isa::Avx2) return avx2_depthwise_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon_depthwise_kernels();
#endif
  (void)isa;
  return scalar_depthwise_kernels();
}

}  // namespace dendrite::depthwise
