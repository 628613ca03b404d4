// Portable GEMM for small m, straight from the operands (no packing): each
// row of C is built in a temporary row of accumulators.
#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

namespace {
inline float at(const Operand& x, size_t row, size_t col) {
  return x.trans ? x.data[col * x.ld + row] : x.data[row * x.ld + col];
}

// Row i of op(A) · a contiguous k-vector (a column of op(B) stored transposed).
// Eight partial sums, so the compiler can vectorise without reassociating.
float dot_with_row(const Operand& a, size_t i, const float* v, size_t k) {
  float part[8] = {};
  size_t p = 0;
  if (!a.trans) {
    const float* row = a.data + i * a.ld;
    for (; p + 8 <= k; p += 8)
      for (size_t q = 0; q < 8; ++q) part[q] += row[p + q] * v[p + q];
  }
  float sum = 0.0f;
  for (; p < k; ++p) sum += at(a, i, p) * v[p];
  for (float x : part) sum += x;
  return sum;
}

}  // namespace

void small_gemm_scalar(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                       float* c, size_t ldc) {
  constexpr size_t kChunk = 256;  // columns accumulated at a time, on the stack
  float acc[kChunk];
  for (size_t i = 0; i < m; ++i) {
    float* crow = c + i * ldc;
    for (size_t j0 = 0; j0 < n; j0 += kChunk) {
      size_t cols = n - j0 < kChunk ? n - j0 : kChunk;
      for (size_t j = 0; j < cols; ++j) acc[j] = 0.0f;
      if (!b.trans) {
        for (size_t p = 0; p < k; ++p) {
          float av = at(a, i, p);
          const float* brow = b.data + p * b.ld + j0;
          for (size_t j = 0; j < cols; ++j) acc[j] += av * brow[j];
        }
      } else {
        for (size_t j = 0; j < cols; ++j) acc[j] = dot_with_row(a, i, b.data + (j0 + j) * b.ld, k);
      }
      if (beta == 0.0f) {
        for (size_t j = 0; j < cols; ++j) crow[j0 + j] = alpha * acc[j];
      } else {
        for (size_t j = 0; j < cols; ++j) crow[j0 + j] = alpha * acc[j] + beta * crow[j0 + j];
      }
    }
  }
}

}  // namespace dendrite::gemm
