// Row helpers of the convolution that are not GEMM: the bias added to each
// output plane, and the plane sums that make the bias gradient.
#pragma once

#include <cstddef>

#include "cpu/isa.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define DENDRITE_CONV_HAS_AVX2 1
#endif

namespace dendrite {

// row[k] += value for k < n.
void add_constant(Isa isa, float* row, size_t n, float value);

// Σ row[k] for k < n: float partial sums in independent lanes (so the adds
// pipeline), flushed into a double every few hundred elements.
double sum_floats(Isa isa, const float* row, size_t n);

namespace avx2 {
void add_constant(float* row, size_t n, float value);
double sum_floats(const float* row, size_t n);
}  // namespace avx2

// NEON (row_ops_neon.cc; arm64 builds only).
namespace neon {
void add_constant(float* row, size_t n, float value);
double sum_floats(const float* row, size_t n);
}  // namespace neon

}  // namespace dendrite
