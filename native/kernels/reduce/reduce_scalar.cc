// Portable reduction kernels. Float sums are blocked (a running total of
// short block sums) so rounding error grows with the block count, not with n.
#include "reduce/reduce_kernels.h"

namespace dendrite {
namespace {

constexpr size_t kRowBlock = 256;
constexpr size_t kColumnBlock = 64;

float sum_row(const float* x, size_t n) {
  float total = 0.0f;
  for (size_t b = 0; b < n; b += kRowBlock) {
    size_t end = b + kRowBlock < n ? b + kRowBlock : n;
    float block = 0.0f;
    for (size_t i = b; i < end; ++i) block += x[i];
    total += block;
  }
  return total;
}

void sum_columns(const float* x, size_t len, size_t stride, size_t width, float* out) {
  float total[kReduceColumnTile] = {};
  for (size_t b = 0; b < len; b += kColumnBlock) {
    size_t end = b + kColumnBlock < len ? b + kColumnBlock : len;
    float block[kReduceColumnTile] = {};
    for (size_t l = b; l < end; ++l) {
      const float* row = x + l * stride;
      for (size_t j = 0; j < width; ++j) block[j] += row[j];
    }
    for (size_t j = 0; j < width; ++j) total[j] += block[j];
  }
  for (size_t j = 0; j < width; ++j) out[j] = total[j];
}

void max_row(const float* x, size_t n, float* out, int32_t* index) {
  float best = x[0];
  size_t at = 0;
  for (size_t i = 1; i < n && best == best; ++i) {
    float v = x[i];
    if (v > best || v != v) best = v, at = i;
  }
  *out = best;
  *index = static_cast<int32_t>(at);
}

void max_columns(const float* x, size_t len, size_t stride, size_t width, float* out, int32_t* index) {
  float best[kReduceColumnTile];
  int32_t at[kReduceColumnTile] = {};
  for (size_t j = 0; j < width; ++j) best[j] = x[j];
  for (size_t l = 1; l < len; ++l) {
    const float* row = x + l * stride;
    for (size_t j = 0; j < width; ++j) {
      float v = row[j];
      if (best[j] == best[j] && (v > best[j] || v != v)) best[j] = v, at[j] = static_cast<int32_t>(l);
    }
  }
  for (size_t j = 0; j < width; ++j) out[j] = best[j], index[j] = at[j];
}

double sum_double(const float* x, size_t n) {
  double total = 0.0;
  for (size_t i = 0; i < n; ++i) total += x[i];
  return total;
}

double sum_squares_double(const float* x, size_t n) {
  double total = 0.0;
  for (size_t i = 0; i < n; ++i) total += static_cast<double>(x[i]) * x[i];
  return total;
}

}  // namespace

const ReduceKernels& reduce_kernels_scalar() {
  static const ReduceKernels k{sum_row, sum_columns, max_row, max_columns, sum_double, sum_squares_double};
  return k;
}

}  // namespace dendrite
