// AVX2 GEMM for small m (a few rows of C, e.g. batch-1 inference), reading
// the operands in place: packing would cost as much as the product itself.
//
// op(B) stored row-major: C is tiled into R rows × 8V columns, accumulated
// in R·V registers over the whole k (R·V ≥ 8 keeps both FMA ports busy
// through their latency). Column strips are the outer loop, so one strip of
// B stays in cache for every row block.
// op(B) stored transposed: each C element is a dot product of two contiguous
// rows, computed 8 k-values at a time for R rows × J columns at once.
#include <immintrin.h>

#include <algorithm>

#include "gemm/avx2_kernels.h"
#include "gemm/scalar_kernels.h"
#include "gemm/simd_avx2.h"

namespace dendrite::gemm {

namespace {

// How many rows of B ahead the row-major kernels prefetch.
constexpr size_t kPrefetchRows = 8;

inline __m256 load_lanes(const float* p, bool masked, __m256i mask) {
  return masked ? _mm256_maskload_ps(p, mask) : _mm256_loadu_ps(p);
}

inline void store_lanes(float* c, __m256 v, float beta, bool masked, __m256i mask) {
  if (beta != 0.0f) v = _mm256_fmadd_ps(_mm256_set1_ps(beta), load_lanes(c, masked, mask), v);
  if (masked) {
    _mm256_maskstore_ps(c, mask, v);
  } else {
    _mm256_storeu_ps(c, v);
  }
}

// C[0:R, 0:cols] for cols ≤ 8V, op(B) row-major. `Masked` when cols < 8V.
template <int R, int V, bool Masked>
void tile_rows(Operand a, const float* b, size_t ldb, size_t cols, size_t k, float alpha, float beta,
               float* c, size_t ldc) {
  __m256i mask[V];
  for (int v = 0; v < V; ++v) {
    size_t left = cols > size_t(8 * v) ? cols - 8 * v : 0;
    mask[v] = avx2::first_lanes(left);
  }
  __m256 acc[R][V];
  for (int r = 0; r < R; ++r)
    for (int v = 0; v < V; ++v) acc[r][v] = _mm256_setzero_ps();
  // Element (r, p) of op(A) is at a_ptr[r·a_row + p·a_step].
  const size_t a_row = a.trans ? 1 : a.ld;
  const size_t a_step = a.trans ? a.ld : 1;
  const float* ap = a.data;
  for (size_t p = 0; p < k; ++p, ap += a_step, b += ldb) {
    // Rows of B lie ldb apart, too far for the hardware prefetchers to
    // follow: fetch the strip a few rows ahead (past the end is harmless).
    for (int v = 0; v < V; v += 2) {
      _mm_prefetch(reinterpret_cast<const char*>(b + kPrefetchRows * ldb + 8 * v), _MM_HINT_T0);
    }
    __m256 bv[V];
    for (int v = 0; v < V; ++v) bv[v] = load_lanes(b + 8 * v, Masked, mask[v]);
    for (int r = 0; r < R; ++r) {
      __m256 av = _mm256_broadcast_ss(ap + r * a_row);
      for (int v = 0; v < V; ++v) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
    }
  }
  const __m256 alpha_v = _mm256_set1_ps(alpha);
  for (int r = 0; r < R; ++r) {
    for (int v = 0; v < V; ++v) {
      if (Masked && cols <= size_t(8 * v)) break;
      store_lanes(c + r * ldc + 8 * v, _mm256_mul_ps(alpha_v, acc[r][v]), beta, Masked, mask[v]);
    }
  }
}

// Rows [0, R) of C for every column, strip by strip.
template <int R, int V>
void rows_times_b(Operand a, Operand b, size_t j0, size_t cols, size_t k, float alpha, float beta,
                  float* c, size_t ldc) {
  constexpr size_t kWidth = 8 * V;
  const float* bj = b.data + j0;
  if (cols == kWidth) {
    tile_rows<R, V, false>(a, bj, b.ld, cols, k, alpha, beta, c + j0, ldc);
  } else {
    tile_rows<R, V, true>(a, bj, b.ld, cols, k, alpha, beta, c + j0, ldc);
  }
}

void small_gemm_b_rows(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                       float* c, size_t ldc) {
  // Strips of 64 columns: as wide as the widest tile (1 row × 8 vectors), and
  // a strip of B small enough to stay in cache across the row blocks.
  constexpr size_t kStrip = 64;
  for (size_t j0 = 0; j0 < n; j0 += kStrip) {
    size_t strip = std::min(kStrip, n - j0);
    size_t i = 0;
    for (; i + 6 <= m; i += 6) {
      Operand ai = a;
      ai.data = a.trans ? a.data + i : a.data + i * a.ld;
      for (size_t j = 0; j < strip; j += 16) {
        rows_times_b<6, 2>(ai, b, j0 + j, std::min<size_t>(16, strip - j), k, alpha, beta,
                           c + i * ldc, ldc);
      }
    }
    if (i == m) continue;
    Operand ai = a;
    ai.data = a.trans ? a.data + i : a.data + i * a.ld;
    float* ci = c + i * ldc;
    size_t rest = m - i;
    for (size_t j = 0; j < strip;) {
      size_t left = strip - j;
      switch (rest) {
        case 1: rows_times_b<1, 8>(ai, b, j0 + j, std::min<size_t>(64, left), k, alpha, beta, ci, ldc); j += 64; break;
        case 2: rows_times_b<2, 4>(ai, b, j0 + j, std::min<size_t>(32, left), k, alpha, beta, ci, ldc); j += 32; break;
        case 3: rows_times_b<3, 3>(ai, b, j0 + j, std::min<size_t>(24, left), k, alpha, beta, ci, ldc); j += 24; break;
        case 4: rows_times_b<4, 2>(ai, b, j0 + j, std::min<size_t>(16, left), k, alpha, beta, ci, ldc); j += 16; break;
        default: rows_times_b<5, 2>(ai, b, j0 + j, std::min<size_t>(16, left), k, alpha, beta, ci, ldc); j += 16; break;
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

void small_gemm_b_cols(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha, float beta,
                       float* c, size_t ldc) {
  size_t i = 0;
  for (; i + 2 <= m; i += 2) rows_dot_b<2>(a.data + i * a.ld, a.ld, b, n, k, alpha, beta, c + i * ldc, ldc);
  if (i < m) rows_dot_b<1>(a.data + i * a.ld, a.ld, b, n, k, alpha, beta, c + i * ldc, ldc);
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
