// Row kernels behind softmax.h, one table per ISA; softmax.cc spreads rows
// over threads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

struct SoftmaxKernels {
  void (*softmax_row)(const float* x, size_t n, float* out);
  void (*log_softmax_row)(const float* x, size_t n, float* out);
  void (*softmax_backward_row)(const float* y, const float* gy, size_t n, float* gx);
  void (*log_softmax_backward_row)(const float* y, const float* gy, size_t n, float* gx);
  // Returns -log softmax(x)[label] and writes grad = softmax(x) - onehot(label).
  double (*cross_entropy_row)(const float* x, size_t n, int32_t label, float* grad);
};

const SoftmaxKernels& softmax_kernels_scalar();
const SoftmaxKernels& softmax_kernels_avx2();

}  // namespace dendrite
