// Portable softmax row kernels.
#include <cmath>

#include "softmax/softmax_kernels.h"

namespace dendrite {
namespace {

float row_max(const float* x, size_t n) {
  float m = x[0];
  for (size_t i = 1; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}

// out[i] = exp(x[i] - m); returns the sum (accumulated in double: a
// sequential float sum over long rows drifts by several ulps).
float exp_shifted(const float* x, size_t n, float m, float* out) {
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    out[i] = std::exp(x[i] - m);
    sum += out[i];
  }
  return static_cast<float>(sum);
}

void softmax_row(const float* x, size_t n, float* out) {
  float scale = 1.0f / exp_shifted(x, n, row_max(x, n), out);
  for (size_t i = 0; i < n; ++i) out[i] *= scale;
}

void log_softmax_row(const float* x, size_t n, float* out) {
  float m = row_max(x, n);
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += std::exp(x[i] - m);
  float log_sum = static_cast<float>(std::log(sum));
  for (size_t i = 0; i < n; ++i) out[i] = (x[i] - m) - log_sum;
}

void softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(gy[i]) * y[i];
  const float dot = static_cast<float>(sum);
  for (size_t i = 0; i < n; ++i) gx[i] = y[i] * (gy[i] - dot);
}

void log_softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  double total = 0.0;
  for (size_t i = 0; i < n; ++i) total += gy[i];
  const float sum = static_cast<float>(total);
  for (size_t i = 0; i < n; ++i) gx[i] = gy[i] - std::exp(y[i]) * sum;
}

double cross_entropy_row(const float* x, size_t n, int32_t label, float* grad) {
  const double picked = x[label];  // read before grad (which may be x) is written
  float m = row_max(x, n);
  float sum = exp_shifted(x, n, m, grad);
  float scale = 1.0f / sum;
  for (size_t i = 0; i < n; ++i) grad[i] *= scale;
  grad[label] -= 1.0f;
  return std::log(static_cast<double>(sum)) - (picked - m);
}

template <void (*Row)(const float*, size_t, float*)>
void forward_rows(const float* x, size_t rows, size_t cols, float* out) {
  for (size_t r = 0; r < rows; ++r) Row(x + r * cols, cols, out + r * cols);
}

template <void (*Row)(const float*, const float*, size_t, float*)>
void backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  for (size_t r = 0; r < rows; ++r) Row(y + r * cols, gy + r * cols, cols, gx + r * cols);
}

void cross_entropy_rows(const float* x, const int32_t* labels, size_t rows, size_t cols, float* grad,
                        double* loss) {
  for (size_t r = 0; r < rows; ++r) loss[r] = cross_entropy_row(x + r * cols, cols, labels[r], grad + r * cols);
}

}  // namespace

const SoftmaxKernels& softmax_kernels_scalar() {
  static const SoftmaxKernels k{forward_rows<softmax_row>, forward_rows<log_softmax_row>,
                                backward_rows<softmax_backward_row>, backward_rows<log_softmax_backward_row>,
                                cross_entropy_rows};
  return k;
}

}  // namespace dendrite
