// AVX2 GEMM for small m (a few rows of C, e.g. batch-1 inference), reading
// the operands in place: packing B would cost about as much as the product.
//
// op(B) stored row-major: rows of B stream through C (see small_gemm_b_rows).
// op(B) stored transposed: each C element is a dot product of two contiguous
// rows, computed 8 k-values at a time for R rows × J columns at once.
#include <immintrin.h>

#include <algorithm>

#include "gemm/avx2_kernels.h"
#include "gemm/scalar_kernels.h"
#include "gemm/simd_avx2.h"

namespace dendrite::gemm {

namespace {

// C[0:R, 0:n] += Σ_q as[r·G + q] · B[q][0:n] for the G consecutive rows of B
// at b: R·G broadcast coefficients, G vectors of B and one of C in registers
// (R·G + G + 1 ≤ 16 for the shapes used); each C vector is read and written
// once per G rows of B. With Overwrite, C = the sum instead (C is not read).
template <int R, int G, bool Overwrite = false>
void add_rows_times_b(const float* as, const float* b, size_t ldb, size_t n, float* c, size_t ldc) {
  __m256 av[R][G];
  for (int r = 0; r < R; ++r)
    for (int q = 0; q < G; ++q) av[r][q] = _mm256_set1_ps(as[r * G + q]);
  size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    __m256 bv[G];
    for (int q = 0; q < G; ++q) bv[q] = _mm256_loadu_ps(b + q * ldb + j);
    for (int r = 0; r < R; ++r) {
      __m256 acc = Overwrite ? _mm256_setzero_ps() : _mm256_loadu_ps(c + r * ldc + j);
      for (int q = 0; q < G; ++q) acc = _mm256_fmadd_ps(av[r][q], bv[q], acc);
      _mm256_storeu_ps(c + r * ldc + j, acc);
    }
  }
  if (j < n) {
    const __m256i mask = avx2::first_lanes(n - j);
    __m256 bv[G];
    for (int q = 0; q < G; ++q) bv[q] = _mm256_maskload_ps(b + q * ldb + j, mask);
    for (int r = 0; r < R; ++r) {
      __m256 acc = Overwrite ? _mm256_setzero_ps() : _mm256_maskload_ps(c + r * ldc + j, mask);
      for (int q = 0; q < G; ++q) acc = _mm256_fmadd_ps(av[r][q], bv[q], acc);
      _mm256_maskstore_ps(c + r * ldc + j, mask, acc);
    }
  }
}

// add_rows_times_b with Overwrite chosen at run time.
template <int R, int G>
void add_rows(const float* as, const float* b, size_t ldb, size_t n, float* c, size_t ldc, bool overwrite) {
  if (overwrite) {
    add_rows_times_b<R, G, true>(as, b, ldb, n, c, ldc);
  } else {
    add_rows_times_b<R, G>(as, b, ldb, n, c, ldc);
  }
}

// C[0:R, j0:j0+cols] += alpha · op(A)[0:R, p0:p1] · B[p0:p1, j0:j0+cols], G rows of B at a time.
// With overwrite, the first group of rows sets C instead of adding to it.
template <int R, int G>
void add_block(Operand a, Operand b, size_t p0, size_t p1, size_t j0, size_t cols, float alpha,
               float* c, size_t ldc, bool overwrite) {
  auto a_at = [&](int r, size_t p) { return a.trans ? a.data[p * a.ld + r] : a.data[r * a.ld + p]; };
  alignas(32) float as[R * G];
  size_t p = p0;
  for (; p + G <= p1; p += G) {
    for (int r = 0; r < R; ++r)
      for (int q = 0; q < G; ++q) as[r * G + q] = alpha * a_at(r, p + q);
    add_rows<R, G>(as, b.data + p * b.ld + j0, b.ld, cols, c + j0, ldc, overwrite);
    overwrite = false;
  }
  for (; p < p1; ++p) {
    for (int r = 0; r < R; ++r) as[r] = alpha * a_at(r, p);
    add_rows<R, 1>(as, b.data + p * b.ld + j0, b.ld, cols, c + j0, ldc, overwrite);
    overwrite = false;
  }
}

// op(B) row-major: C is first scaled by beta (at beta 0 the first rows of B
// write it instead), then rows of B stream through
// it, each row read contiguously (the hardware prefetchers follow it) and
// used for 4 rows of C at a time. Blocks of kCols columns × kRows rows of B
// (1 MiB) stay in L2 while every row block of C passes over them.
void small_gemm_b_rows(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                       float* c, size_t ldc) {
  constexpr size_t kCols = 1024, kRows = 256;
  // beta == 0: the first rows of B write C rather than add to zeros (C may
  // hold NaN and is never read), saving a pass over C.
  const bool overwrite = beta == 0.0f && k > 0;
  for (size_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    if (beta == 0.0f && !overwrite) {
      std::fill(row, row + n, 0.0f);
    } else if (beta != 0.0f && beta != 1.0f) {
      for (size_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
  auto rows_from = [&](size_t i) {
    Operand x = a;
    x.data = a.trans ? a.data + i : a.data + i * a.ld;
    return x;
  };
  for (size_t j0 = 0; j0 < n; j0 += kCols) {
    const size_t cols = std::min(kCols, n - j0);
    for (size_t p0 = 0; p0 < k; p0 += kRows) {
      const size_t p1 = std::min(k, p0 + kRows);
      size_t i = 0;
      const bool first = overwrite && p0 == 0;
      for (; i + 4 <= m; i += 4) add_block<4, 3>(rows_from(i), b, p0, p1, j0, cols, alpha, c + i * ldc, ldc, first);
      switch (m - i) {
        case 3: add_block<3, 4>(rows_from(i), b, p0, p1, j0, cols, alpha, c + i * ldc, ldc, first); break;
        case 2: add_block<2, 4>(rows_from(i), b, p0, p1, j0, cols, alpha, c + i * ldc, ldc, first); break;
        case 1: add_block<1, 8>(rows_from(i), b, p0, p1, j0, cols, alpha, c + i * ldc, ldc, first); break;
        default: break;
      }
    }
  }
}

// C[0:R, 0:J] as dot products of rows of op(A) (row-major) with rows of B
// (op(B) transposed): 8 k-values per step, the k tail through masked loads.
template <int R, int J>
void tile_dots(const float* a, size_t lda, const float* b, size_t ldb, size_t k, float alpha,
               float beta, float* c, size_t ldc) {
  __m256 acc[R][J];
  for (int r = 0; r < R; ++r)
    for (int j = 0; j < J; ++j) acc[r][j] = _mm256_setzero_ps();
  size_t p = 0;
  for (; p + 8 <= k; p += 8) {
    __m256 av[R];
    for (int r = 0; r < R; ++r) av[r] = _mm256_loadu_ps(a + r * lda + p);
    for (int j = 0; j < J; ++j) {
      __m256 bv = _mm256_loadu_ps(b + j * ldb + p);
      for (int r = 0; r < R; ++r) acc[r][j] = _mm256_fmadd_ps(av[r], bv, acc[r][j]);
    }
  }
  if (p < k) {
    const __m256i mask = avx2::first_lanes(k - p);
    __m256 av[R];
    for (int r = 0; r < R; ++r) av[r] = _mm256_maskload_ps(a + r * lda + p, mask);
    for (int j = 0; j < J; ++j) {
      __m256 bv = _mm256_maskload_ps(b + j * ldb + p, mask);
      for (int r = 0; r < R; ++r) acc[r][j] = _mm256_fmadd_ps(av[r], bv, acc[r][j]);
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int j = 0; j < J; ++j) {
      float v = alpha * avx2::hsum(acc[r][j]);
      float* cij = c + r * ldc + j;
      *cij = beta == 0.0f ? v : v + beta * *cij;
    }
  }
}

template <int R>
void rows_dot_b(const float* a, size_t lda, Operand b, size_t n, size_t k, float alpha, float beta,
                float* c, size_t ldc) {
  constexpr int J = 8 / R;
  size_t j = 0;
  for (; j + J <= n; j += J) tile_dots<R, J>(a, lda, b.data + j * b.ld, b.ld, k, alpha, beta, c + j, ldc);
  for (; j < n; ++j) tile_dots<R, 1>(a, lda, b.data + j * b.ld, b.ld, k, alpha, beta, c + j, ldc);
}

// Every pair of rows of A meets a block of rows of B (about 512 KiB) while it
// is in L2, so B is read from memory once however many rows C has.
void small_gemm_b_cols(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                       float* c, size_t ldc) {
  const size_t block = std::max<size_t>(8, (size_t{128} << 10) / std::max<size_t>(k, 1) / 8 * 8);
  for (size_t j0 = 0; j0 < n; j0 += block) {
    Operand bj = b;
    bj.data = b.data + j0 * b.ld;
    const size_t cols = std::min(block, n - j0);
    size_t i = 0;
    for (; i + 2 <= m; i += 2) {
      rows_dot_b<2>(a.data + i * a.ld, a.ld, bj, cols, k, alpha, beta, c + i * ldc + j0, ldc);
    }
    if (i < m) rows_dot_b<1>(a.data + i * a.ld, a.ld, bj, cols, k, alpha, beta, c + i * ldc + j0, ldc);
  }
}

}  // namespace

void small_gemm_avx2(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                     float* c, size_t ldc) {
  if (!b.trans) {
    small_gemm_b_rows(a, b, m, n, k, alpha, beta, c, ldc);
  } else if (!a.trans) {
    small_gemm_b_cols(a, b, m, n, k, alpha, beta, c, ldc);
  } else {
    // Both transposed: neither operand has contiguous k; the caller should pack.
    small_gemm_scalar(a, b, m, n, k, alpha, beta, c, ldc);
  }
}

}  // namespace dendrite::gemm
