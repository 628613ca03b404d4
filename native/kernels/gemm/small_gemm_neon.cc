// NEON GEMM for small m (a few rows of C, e.g. batch-1 inference), reading
// the operands in place: packing B would cost about as much as the product.
//
// op(B) stored row-major: rows of B stream through the rows of C, 8 rows of
// B per pass over 4 rows of C (see stream_rows_of_b). op(B) stored
// transposed: each element of C is the dot product of two contiguous rows,
// 2 rows of A × 4 rows of B at a time (see dot_rows_of_b).
#include <arm_neon.h>

#include <algorithm>

#include "cpu/simd_neon.h"
#include "gemm/neon_kernels.h"
#include "gemm/scalar_kernels.h"

namespace dendrite::gemm {

namespace {

// acc + b · lane `lane` of w (fmla by element; the lane is a constant once
// the callers' loops are unrolled, and the switch folds away).
inline float32x4_t fma_lane(float32x4_t acc, float32x4_t b, float32x4_t w, int lane) {
  switch (lane) {
    case 0:
      return vfmaq_laneq_f32(acc, b, w, 0);
    case 1:
      return vfmaq_laneq_f32(acc, b, w, 1);
    case 2:
      return vfmaq_laneq_f32(acc, b, w, 2);
    default:
      return vfmaq_laneq_f32(acc, b, w, 3);
  }
}

// C[0:R, 0:n] gets Σ_{q<G} coef[r·G + q] · B[q][0:n] added (Overwrite: C is
// set to it and not read). The coefficients of a row of C sit four to a
// register and are used by lane, so R·G/4 registers hold them; with 2·G
// vectors of B and two of C that is at most 26 of the 32 for G = 8, R = 4.
// (Clang keeps the fmla by element; GCC 12 hoists a broadcast of each
// coefficient out of the column loop instead and spills a few of them, about
// 15% more instructions than the plan.) Each vector of C is loaded and
// stored once per G rows of B.
template <int R, int G, bool Overwrite>
void add_rows_of_b(const float* coef, const float* b, size_t ldb, size_t n, float* c, size_t ldc) {
  constexpr int W = (G + 3) / 4;
  float32x4_t w[R][W];
  for (int r = 0; r < R; ++r)
    for (int h = 0; h < W; ++h) w[r][h] = neon::load_first(coef + r * G + 4 * h, size_t(G - 4 * h));
  size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    float32x4_t lo[G], hi[G];
    for (int q = 0; q < G; ++q) {
      lo[q] = vld1q_f32(b + q * ldb + j);
      hi[q] = vld1q_f32(b + q * ldb + j + 4);
    }
    for (int r = 0; r < R; ++r) {
      float* out = c + r * ldc + j;
      float32x4_t s_lo = Overwrite ? vdupq_n_f32(0.0f) : vld1q_f32(out);
      float32x4_t s_hi = Overwrite ? vdupq_n_f32(0.0f) : vld1q_f32(out + 4);
      for (int q = 0; q < G; ++q) {
        s_lo = fma_lane(s_lo, lo[q], w[r][q / 4], q % 4);
        s_hi = fma_lane(s_hi, hi[q], w[r][q / 4], q % 4);
      }
      vst1q_f32(out, s_lo);
      vst1q_f32(out + 4, s_hi);
    }
  }
  // The last 1 to 7 columns, a vector (or part of one) at a time.
  for (; j < n; j += 4) {
    const size_t count = std::min<size_t>(4, n - j);
    float32x4_t bv[G];
    for (int q = 0; q < G; ++q) bv[q] = neon::load_first(b + q * ldb + j, count);
    for (int r = 0; r < R; ++r) {
      float* out = c + r * ldc + j;
      float32x4_t s = Overwrite ? vdupq_n_f32(0.0f) : neon::load_first(out, count);
      for (int q = 0; q < G; ++q) s = fma_lane(s, bv[q], w[r][q / 4], q % 4);
      neon::store_first(out, s, count);
    }
  }
}

// C[0:R, cols] (+)= alpha · op(A)[0:R, k] · B[k, cols] for the G rows
// k = p, ..., p + G − 1 of B (`overwrite`: they set C instead).
template <int R, int G>
void add_group(Operand a, const float* b, size_t ldb, size_t p, size_t cols, float alpha, float* c, size_t ldc,
               bool overwrite) {
  float coef[R * G];
  for (int r = 0; r < R; ++r) {
    for (int q = 0; q < G; ++q) {
      const size_t row = size_t(r), k = p + size_t(q);
      coef[r * G + q] = alpha * (a.trans ? a.data[k * a.ld + row] : a.data[row * a.ld + k]);
    }
  }
  if (overwrite) {
    add_rows_of_b<R, G, true>(coef, b + p * ldb, ldb, cols, c, ldc);
  } else {
    add_rows_of_b<R, G, false>(coef, b + p * ldb, ldb, cols, c, ldc);
  }
}

// C[0:R, cols] (+)= alpha · op(A)[0:R, p0:p1] · B[p0:p1, cols]: 8 rows of B at
// a time, then 4, then one by one; with `overwrite`, the first rows of B set
// C instead of adding to it.
template <int R>
void rows_times_block(Operand a, const float* b, size_t ldb, size_t p0, size_t p1, size_t cols, float alpha,
                      float* c, size_t ldc, bool overwrite) {
  size_t p = p0;
  for (; p + 8 <= p1; p += 8, overwrite = false) add_group<R, 8>(a, b, ldb, p, cols, alpha, c, ldc, overwrite);
  for (; p + 4 <= p1; p += 4, overwrite = false) add_group<R, 4>(a, b, ldb, p, cols, alpha, c, ldc, overwrite);
  for (; p < p1; ++p, overwrite = false) add_group<R, 1>(a, b, ldb, p, cols, alpha, c, ldc, overwrite);
}

// op(B) row-major. C is scaled by beta first, except at beta 0, where the
// first rows of B write it (C may hold NaN and is never read). Blocks of
// kCols columns × kRows rows of B (512 KiB, half of a typical arm64 core's
// L2) stay cached while every group of rows of C passes over them.
void stream_rows_of_b(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta, float* c,
                      size_t ldc) {
  constexpr size_t kCols = 512, kRows = 256;
  if (beta != 0.0f && beta != 1.0f) {
    for (size_t i = 0; i < m; ++i)
      for (size_t j = 0; j < n; ++j) c[i * ldc + j] *= beta;
  }
  for (size_t j0 = 0; j0 < n; j0 += kCols) {
    const size_t cols = std::min(kCols, n - j0);
    for (size_t p0 = 0; p0 < k; p0 += kRows) {
      const size_t p1 = std::min(k, p0 + kRows);
      const bool overwrite = beta == 0.0f && p0 == 0;
      const float* bj = b.data + j0;
      size_t i = 0;
      auto from_row = [&](size_t row) {
        Operand x = a;
        x.data += a.trans ? row : row * a.ld;
        return x;
      };
      for (; i + 4 <= m; i += 4) {
        rows_times_block<4>(from_row(i), bj, b.ld, p0, p1, cols, alpha, c + i * ldc + j0, ldc, overwrite);
      }
      float* ci = c + i * ldc + j0;
      if (m - i == 3) rows_times_block<3>(from_row(i), bj, b.ld, p0, p1, cols, alpha, ci, ldc, overwrite);
      if (m - i == 2) rows_times_block<2>(from_row(i), bj, b.ld, p0, p1, cols, alpha, ci, ldc, overwrite);
      if (m - i == 1) rows_times_block<1>(from_row(i), bj, b.ld, p0, p1, cols, alpha, ci, ldc, overwrite);
    }
  }
}

// C[0:R, 0:J] = alpha · (rows of A) · (rows of B)ᵀ + beta · C, A and B both
// with k contiguous: R·J accumulators of four partial sums each, added
// across lanes at the end.
template <int R, int J>
void dot_tile(const float* a, size_t lda, const float* b, size_t ldb, size_t k, float alpha, float beta, float* c,
              size_t ldc) {
  float32x4_t acc[R][J];
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < J; ++j) acc[r][j] = vdupq_n_f32(0.0f);
  for (size_t p = 0; p < k; p += 4) {
    const size_t count = std::min<size_t>(4, k - p);
    float32x4_t av[R];
    for (int r = 0; r < R; ++r) av[r] = count == 4 ? vld1q_f32(a + r * lda + p) : neon::load_first(a + r * lda + p, count);
    for (int j = 0; j < J; ++j) {
      const float* bp = b + j * ldb + p;
      const float32x4_t bv = count == 4 ? vld1q_f32(bp) : neon::load_first(bp, count);
      for (int r = 0; r < R; ++r) acc[r][j] = vfmaq_f32(acc[r][j], av[r], bv);
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int j = 0; j < J; ++j) {
      float* out = c + r * ldc + j;
      const float v = alpha * vaddvq_f32(acc[r][j]);
      *out = beta == 0.0f ? v : v + beta * *out;
    }
  }
}

// Rows of B in blocks of about 128 KiB, each met by every pair of rows of A
// while it is in L2, so B is read from memory once however many rows C has.
void dot_rows_of_b(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta, float* c,
                   size_t ldc) {
  const size_t block = std::max<size_t>(4, (size_t{32} << 10) / std::max<size_t>(k, 1) / 4 * 4);
  for (size_t j0 = 0; j0 < n; j0 += block) {
    const size_t j1 = std::min(n, j0 + block);
    for (size_t i = 0; i < m; i += 2) {
      const float* ai = a.data + i * a.ld;
      float* ci = c + i * ldc;
      const bool pair = i + 1 < m;
      size_t j = j0;
      for (; j + 4 <= j1; j += 4) {
        if (pair) {
          dot_tile<2, 4>(ai, a.ld, b.data + j * b.ld, b.ld, k, alpha, beta, ci + j, ldc);
        } else {
          dot_tile<1, 4>(ai, a.ld, b.data + j * b.ld, b.ld, k, alpha, beta, ci + j, ldc);
        }
      }
      for (; j < j1; ++j) {
        if (pair) {
          dot_tile<2, 1>(ai, a.ld, b.data + j * b.ld, b.ld, k, alpha, beta, ci + j, ldc);
        } else {
          dot_tile<1, 1>(ai, a.ld, b.data + j * b.ld, b.ld, k, alpha, beta, ci + j, ldc);
        }
      }
    }
  }
}

}  // namespace

void small_gemm_neon(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta, float* c,
                     size_t ldc) {
  if (!b.trans) {
    stream_rows_of_b(a, b, m, n, k, alpha, beta, c, ldc);
  } else if (!a.trans) {
    dot_rows_of_b(a, b, m, n, k, alpha, beta, c, ldc);
  } else {
    // Neither operand has k contiguous; the drivers pack such products.
    small_gemm_scalar(a, b, m, n, k, alpha, beta, c, ldc);
  }
}

}  // namespace dendrite::gemm
