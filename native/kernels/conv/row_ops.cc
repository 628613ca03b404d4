#include "conv/row_ops.h"

#include <algorithm>

namespace dendrite {
namespace {

void add_constant_scalar(float* __restrict row, size_t n, float value) {
  for (size_t k = 0; k < n; ++k) row[k] += value;
}

double sum_floats_scalar(const float* row, size_t n) {
  constexpr size_t kLanes = 8, kFlush = 256;
  double total = 0.0;
  size_t k = 0;
  while (k < n) {
    size_t end = std::min(n, k + kFlush);
    float lane[kLanes] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (; k + kLanes <= end; k += kLanes) {
      for (size_t l = 0; l < kLanes; ++l) lane[l] += row[k + l];
    }
    for (; k < end; ++k) lane[0] += row[k];
    double block = 0.0;
    for (size_t l = 0; l < kLanes; ++l) block += lane[l];
    total += block;
  }
  return total;
}

}  // namespace

void add_constant(Isa isa, float* row, size_t n, float value) {
#ifdef DENDRITE_CONV_HAS_AVX2
  if (has_avx2(isa)) return avx2::add_constant(row, n, value);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon::add_constant(row, n, value);
#endif
  add_constant_scalar(row, n, value);
}

double sum_floats(Isa isa, const float* row, size_t n) {
#ifdef DENDRITE_CONV_HAS_AVX2
  if (has_avx2(isa)) return avx2::sum_floats(row, n);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon::sum_floats(row, n);
#endif
  return sum_floats_scalar(row, n);
}

}  // namespace dendrite
