// The per-ISA pieces of batch and layer normalization (batch_norm.h,
// layer_norm.h): moments, gradient sums and the elementwise passes over one
// contiguous run of values. Each ISA supplies one table, instantiated from the
// templates of norm_templates.h; the drivers (threads, layouts) are shared.
//
// Two layouts of batch-norm data reach these kernels:
//   spans    a contiguous run of one channel (part of an H·W plane), with
//            per-channel scalars (mean, scale, ...);
//   columns  rows of [channels · plane] values (small planes, [N, C] input),
//            reduced down the rows one tile of columns at a time, with
//            per-column coefficient arrays for the elementwise passes.
#pragma once

#include <cstddef>

#include "cpu/isa.h"
#include "elementwise/isa_select.h"
#include "norm/moments.h"

namespace dendrite {

// Widest column tile the column kernels take (one 64-byte cache line of floats).
constexpr size_t kNormColumnTile = 16;

struct NormKernels {
  // ---- spans ----
  // Moments of x[0, len), len >= 1, accumulated in double about x[0].
  Moments (*span_moments)(const float* x, size_t len);
  // sums[0] = Σ gy, sums[1] = Σ gy·(x − mean), in double.
  void (*span_grad_sums)(const float* x, const float* gy, size_t len, float mean, double* sums);
  // y = (x − mean)·scale + shift (y may be x).
  void (*span_normalize)(const float* x, size_t len, float mean, float scale, float shift, float* y);
  // gx = a·gy + b·(x − mean) + c.
  void (*span_input_grad)(const float* x, const float* gy, size_t len, float a, float mean, float b, float c,
                          float* gx);

  // ---- columns: x[r·stride + j] for rows r < rows, columns j < width <= kNormColumnTile ----
  // out[j] = moments of column j (rows >= 1), accumulated in double about its first value.
  void (*column_moments)(const float* x, size_t rows, size_t stride, size_t width, Moments* out);
  // sum_gy[j] = Σ gy, sum_gy_centered[j] = Σ gy·(x − mean[j]) down column j, in double.
  void (*column_grad_sums)(const float* x, const float* gy, size_t rows, size_t stride, size_t width,
                           const float* mean, double* sum_gy, double* sum_gy_centered);
  // The span passes with per-element coefficient arrays (one row of columns).
  void (*row_normalize)(const float* x, size_t len, const float* mean, const float* scale, const float* shift,
                        float* y);
  void (*row_input_grad)(const float* x, const float* gy, size_t len, const float* a, const float* mean,
                         const float* b, const float* c, float* gx);

  // ---- layer norm: one row of len values, x̂ = (x − mean)·invstd ----
  // y = x̂·w + b; w (ones) and b (zeros) may be null.
  void (*layer_norm_row)(const float* x, size_t len, float mean, float invstd, const float* w, const float* b,
                         float* y);
  // With g = gy·w (gy when w is null): sums[0] = Σ g, sums[1] = Σ g·x̂, in double.
  void (*layer_norm_row_sums)(const float* x, const float* gy, const float* w, size_t len, float mean, float invstd,
                              double* sums);
  // gx = invstd·(g − c1 − x̂·c2) when gx is given; gw[j] += gy·x̂ and gb[j] += gy when given.
  void (*layer_norm_row_backward)(const float* x, const float* gy, const float* w, size_t len, float mean,
                                  float invstd, float c1, float c2, float* gx, float* gw, float* gb);
};

const NormKernels& norm_kernels_scalar();
#if DENDRITE_HAVE_AVX2_KERNELS
const NormKernels& norm_kernels_avx2();
const NormKernels& norm_kernels_avx512();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
const NormKernels& norm_kernels_neon();
#endif

static inline const NormKernels& norm_kernels(Isa isa) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (isa == Isa::Avx512) return norm_kernels_avx512();
  if (isa == Isa::Avx2) return norm_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return norm_kernels_neon();
#endif
  (void)isa;
  return norm_kernels_scalar();
}

}  // namespace dendrite
