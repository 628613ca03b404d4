// The per-ISA pieces of local response normalization (local_response_norm.h):
// one block of `len` consecutive plane positions of one image, all its
// channels (rows `plane` apart), channel after channel, vectorized along the
// plane. Instantiated from lrn_templates.h by lrn_<isa>.cc; AVX-512 CPUs run
// the AVX2 table, arm64 CPUs the NEON one.
#pragma once

#include <cstddef>

#include "cpu/isa.h"
#include "elementwise/isa_select.h"
#include "norm/local_response_norm.h"

namespace dendrite {

// Rows of scratch backward keeps: the channels one window can hold.
static inline size_t lrn_scratch_rows(const LrnParams& p, size_t channels) {
  return p.size < channels ? p.size : channels;
}

struct LrnKernels {
  // y and multiplier at the block's positions.
  void (*forward)(const float* x, size_t channels, size_t plane, size_t len, const LrnParams& p, float* y,
                  float* multiplier);
  // gx at the block's positions; scratch holds lrn_scratch_rows(p, channels)·len floats.
  void (*backward)(const float* x, const float* gy, const float* multiplier, size_t channels, size_t plane,
                   size_t len, const LrnParams& p, float* scratch, float* gx);
};

const LrnKernels& lrn_kernels_scalar();
#if DENDRITE_HAVE_AVX2_KERNELS
const LrnKernels& lrn_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
const LrnKernels& lrn_kernels_neon();
#endif

static inline const LrnKernels& lrn_kernels(Isa isa) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (has_avx2(isa)) return lrn_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return lrn_kernels_neon();
#endif
  (void)isa;
  return lrn_kernels_scalar();
}

}  // namespace dendrite
