// The 6×16 AVX2+FMA micro-kernel: C[6×16] = alpha·Apanel·Bpanel + beta·C.
//
// Twelve ymm accumulators (6 rows × 2 vectors of 8) leave four registers for
// the two B vectors and the A broadcasts: each k step is 2 loads, 6
// broadcasts and 12 FMAs, enough independent chains to keep both FMA ports
// busy through their 4-cycle latency. The k loop is unrolled by 4 and
// prefetches the A micro-panel a few steps ahead (B's micro-panel is reused
// across the whole ir loop and stays in L1). A full tile is scaled and
// stored straight from the registers; an edge tile (mr < 6 or nr < 16) goes
// through a 384-byte buffer on the stack and only its valid part is written,
// with lane masks.
#include <immintrin.h>

#include "gemm/avx2_kernels.h"
#include "gemm/simd_avx2.h"

namespace dendrite::gemm {

namespace {

// Stores the first nr columns of one row of an edge tile (lane masks).
inline void store_row(const float* acc, float* c, __m256 alpha, float beta, __m256i mask0, __m256i mask1) {
  __m256 v0 = _mm256_mul_ps(alpha, _mm256_load_ps(acc));
  __m256 v1 = _mm256_mul_ps(alpha, _mm256_load_ps(acc + 8));
  if (beta != 0.0f) {
    __m256 b = _mm256_set1_ps(beta);
    v0 = _mm256_fmadd_ps(b, _mm256_maskload_ps(c, mask0), v0);
    v1 = _mm256_fmadd_ps(b, _mm256_maskload_ps(c + 8, mask1), v1);
  }
  _mm256_maskstore_ps(c, mask0, v0);
  _mm256_maskstore_ps(c + 8, mask1, v1);
}

// The k loop on its own function, so that only integer registers carry the
// other arguments through it and all sixteen ymm registers are free for the
// tile and its operands (alpha and beta arrive in ymm registers; kept alive
// across the loop they made the compiler spill accumulators). With `scale`
// ({alpha, beta}) the finished 6×16 tile is stored to `out` (C, row stride
// ld) as alpha·tile + beta·C; without, the raw tile is stored to `out`.
DENDRITE_GEMM_NOINLINE void accumulate(size_t kc, const float* a, const float* b, float* out,
                                       size_t ld, const float* scale) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();

#define DENDRITE_GEMM_STEP(u)                                  \
  {                                                            \
    __m256 b0 = _mm256_load_ps(b + (u) * 16);                  \
    __m256 b1 = _mm256_load_ps(b + (u) * 16 + 8);              \
    __m256 av = _mm256_broadcast_ss(a + (u) * 6 + 0);          \
    c00 = _mm256_fmadd_ps(av, b0, c00);                        \
    c01 = _mm256_fmadd_ps(av, b1, c01);                        \
    av = _mm256_broadcast_ss(a + (u) * 6 + 1);                 \
    c10 = _mm256_fmadd_ps(av, b0, c10);                        \
    c11 = _mm256_fmadd_ps(av, b1, c11);                        \
    av = _mm256_broadcast_ss(a + (u) * 6 + 2);                 \
    c20 = _mm256_fmadd_ps(av, b0, c20);                        \
    c21 = _mm256_fmadd_ps(av, b1, c21);                        \
    av = _mm256_broadcast_ss(a + (u) * 6 + 3);                 \
    c30 = _mm256_fmadd_ps(av, b0, c30);                        \
    c31 = _mm256_fmadd_ps(av, b1, c31);                        \
    av = _mm256_broadcast_ss(a + (u) * 6 + 4);                 \
    c40 = _mm256_fmadd_ps(av, b0, c40);                        \
    c41 = _mm256_fmadd_ps(av, b1, c41);                        \
    av = _mm256_broadcast_ss(a + (u) * 6 + 5);                 \
    c50 = _mm256_fmadd_ps(av, b0, c50);                        \
    c51 = _mm256_fmadd_ps(av, b1, c51);                        \
  }

  size_t p = 0;
  for (; p + 4 <= kc; p += 4) {
    _mm_prefetch(reinterpret_cast<const char*>(a + 96), _MM_HINT_T0);
    DENDRITE_GEMM_STEP(0)
    DENDRITE_GEMM_STEP(1)
    DENDRITE_GEMM_STEP(2)
    DENDRITE_GEMM_STEP(3)
    a += 24;
    b += 64;
  }
  for (; p < kc; ++p) {
    DENDRITE_GEMM_STEP(0)
    a += 6;
    b += 16;
  }
#undef DENDRITE_GEMM_STEP

  const __m256 rows[6][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
  if (scale == nullptr) {
    for (size_t i = 0; i < 6; ++i) {
      _mm256_store_ps(out + i * ld, rows[i][0]);
      _mm256_store_ps(out + i * ld + 8, rows[i][1]);
    }
    return;
  }
  const __m256 alpha = _mm256_broadcast_ss(scale);
  const float beta = scale[1];
  for (size_t i = 0; i < 6; ++i) {
    float* row = out + i * ld;
    __m256 v0 = _mm256_mul_ps(alpha, rows[i][0]);
    __m256 v1 = _mm256_mul_ps(alpha, rows[i][1]);
    if (beta != 0.0f) {
      const __m256 beta_v = _mm256_broadcast_ss(scale + 1);
      v0 = _mm256_fmadd_ps(beta_v, _mm256_loadu_ps(row), v0);
      v1 = _mm256_fmadd_ps(beta_v, _mm256_loadu_ps(row + 8), v1);
    }
    _mm256_storeu_ps(row, v0);
    _mm256_storeu_ps(row + 8, v1);
  }
}

}  // namespace

void micro_kernel_avx2(size_t kc, const float* a, const float* b, float* c, size_t ldc, float alpha,
                       float beta, size_t mr, size_t nr, const float* a_next, const float* b_next) {
  // Bring this tile of C, and the starts of the next micro-panels, towards
  // L1 while the products are computed.
  for (size_t i = 0; i < mr; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 15), _MM_HINT_T0);
  }
  _mm_prefetch(reinterpret_cast<const char*>(a_next), _MM_HINT_T0);
  _mm_prefetch(reinterpret_cast<const char*>(b_next), _MM_HINT_T0);
  if (mr == kMR && nr == kNR) {
    const float scale[2] = {alpha, beta};
    accumulate(kc, a, b, c, ldc, scale);
    return;
  }
  // Edge tile: through a buffer, then only its valid part, with lane masks.
  alignas(32) float tile[kMR * kNR];
  accumulate(kc, a, b, tile, kNR, nullptr);
  const __m256 alpha_v = _mm256_set1_ps(alpha);
  const __m256i mask0 = avx2::first_lanes(nr);
  const __m256i mask1 = avx2::first_lanes(nr > 8 ? nr - 8 : 0);
  for (size_t i = 0; i < mr; ++i) store_row(tile + i * kNR, c + i * ldc, alpha_v, beta, mask0, mask1);
}

}  // namespace dendrite::gemm
