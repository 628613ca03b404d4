// NEON row helpers of the convolution (arm64 builds only): the bias added to
// an output plane, and the plane sums of the bias gradient.
#include <arm_neon.h>

#include <algorithm>

#include "conv/row_ops.h"
#include "cpu/simd_neon.h"

namespace dendrite::neon {

void add_constant(float* row, size_t n, float value) {
  const float32x4_t v = vdupq_n_f32(value);
  size_t k = 0;
  for (; k + 4 <= n; k += 4) vst1q_f32(row + k, vaddq_f32(vld1q_f32(row + k), v));
  for (; k < n; ++k) row[k] += value;
}

double sum_floats(const float* row, size_t n) {
  // Four independent accumulators (16 float lanes) so the adds pipeline;
  // each block of kFlush elements is summed in float and added in double.
  constexpr size_t kFlush = 512;
  double total = 0.0;
  size_t k = 0;
  while (k < n) {
    const size_t end = std::min(n, k + kFlush);
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0;
    for (; k + 16 <= end; k += 16) {
      s0 = vaddq_f32(s0, vld1q_f32(row + k));
      s1 = vaddq_f32(s1, vld1q_f32(row + k + 4));
      s2 = vaddq_f32(s2, vld1q_f32(row + k + 8));
      s3 = vaddq_f32(s3, vld1q_f32(row + k + 12));
    }
    for (; k + 4 <= end; k += 4) s0 = vaddq_f32(s0, vld1q_f32(row + k));
    double rest = 0.0;
    for (; k < end; ++k) rest += row[k];
    total += sum(add_widened(double4_zero(), vaddq_f32(vaddq_f32(s0, s1), vaddq_f32(s2, s3)))) + rest;
  }
  return total;
}

}  // namespace dendrite::neon
