// Row-range kernels behind softmax.h, one table per ISA; softmax.cc spreads
// rows over threads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

// Each entry processes `rows` consecutive rows of `cols` elements (cols >= 1).
struct SoftmaxKernels {
  void (*softmax_rows)(const float* x, size_t rows, size_t cols, float* out);
  void (*log_softmax_rows)(const float* x, size_t rows, size_t cols, float* out);
  void (*softmax_backward_rows)(const float* y, const float* gy, size_t rows, size_t cols, float* gx);
  void (*log_softmax_backward_rows)(const float* y, const float* gy, size_t rows, size_t cols, float* gx);
  // loss[r] = -log softmax(x_r)[labels[r]]; grad = softmax(x) - onehot(labels).
  void (*cross_entropy_rows)(const float* x, const int32_t* labels, size_t rows, size_t cols, float* grad,
                             double* loss);
};

const SoftmaxKernels& softmax_kernels_scalar();
const SoftmaxKernels& softmax_kernels_avx2();
const SoftmaxKernels& softmax_kernels_neon();

}  // namespace dendrite
