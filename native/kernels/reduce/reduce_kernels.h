// Single-thread kernels behind reduce.h, one table per ISA.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

// Widest column block the column kernels take.
constexpr size_t kReduceColumnTile = 32;

struct ReduceKernels {
  // Σ of x[0..n).
  float (*sum_row)(const float* x, size_t n);
  // out[j] = Σ_l x[l·stride + j] for j < width (width <= kReduceColumnTile).
  void (*sum_columns)(const float* x, size_t len, size_t stride, size_t width, float* out);
  // Max of x[0..n) (n >= 1) and its first index, NaN first.
  void (*max_row)(const float* x, size_t n, float* out, int32_t* index);
  // Column version of max_row (len >= 1, width <= kReduceColumnTile).
  void (*max_columns)(const float* x, size_t len, size_t stride, size_t width, float* out, int32_t* index);
  // Σ x and Σ x² in double.
  double (*sum_double)(const float* x, size_t n);
  double (*sum_squares_double)(const float* x, size_t n);
};

const ReduceKernels& reduce_kernels_scalar();
const ReduceKernels& reduce_kernels_avx2();
const ReduceKernels& reduce_kernels_neon();

}  // namespace dendrite
