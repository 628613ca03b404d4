// The 6×16 AVX2+FMA micro-kernel: C[6×16] = alpha·Apanel·Bpanel + beta·C.
//
// Twelve ymm accumulators (6 rows × 2 vectors of 8) leave four registers for
// the two B vectors and the A broadcasts: each k step is 2 loads, 6
// broadcasts and 12 FMAs, enough independent chains to keep both FMA ports
// busy through their 4-cycle latency. The k loop is unrolled by 4 and
// prefetches the A micro-panel a few steps ahead (B's micro-panel is reused
// across the whole ir loop and stays in L1). The finished tile goes through
// a 384-byte buffer on the stack to the store, which scales it and, for edge
// tiles (mr < 6 or nr < 16), writes only the valid part with lane masks.
#include <immintrin.h>

#include "gemm/avx2_kernels.h"
#include "gemm/simd_avx2.h"

namespace dendrite::gemm {

#if defined(_MSC_VER)
#define DENDRITE_GEMM_NOINLINE __declspec(noinline)
#else
#define DENDRITE_GEMM_NOINLINE __attribute__((noinline))
#endif

namespace {

// Stores one row of the tile: all 16 columns, or the first nr with masks.
inline void store_row(const float* acc, float* c, __m256 alpha, float beta, bool full,
                      __m256i mask0, __m256i mask1) {
  __m256 v0 = _mm256_mul_ps(alpha, _mm256_load_ps(acc));
  __m256 v1 = _mm256_mul_ps(alpha, _mm256_load_ps(acc + 8));
  if (full) {
    if (beta != 0.0f) {
      __m256 b = _mm256_set1_ps(beta);
      v0 = _mm256_fmadd_ps(b, _mm256_loadu_ps(c), v0);
      v1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(c + 8), v1);
    }
    _mm256_storeu_ps(c, v0);
    _mm256_storeu_ps(c + 8, v1);
  } else {
    if (beta != 0.0f) {
      __m256 b = _mm256_set1_ps(beta);
      v0 = _mm256_fmadd_ps(b, _mm256_maskload_ps(c, mask0), v0);
      v1 = _mm256_fmadd_ps(b, _mm256_maskload_ps(c + 8, mask1), v1);
    }
    _mm256_maskstore_ps(c, mask0, v0);
    _mm256_maskstore_ps(c + 8, mask1, v1);
  }
}

// The k loop on its own: with only three pointers live, all sixteen ymm
// registers are free for the tile and its operands (alpha, beta and the C
// pointers kept alive across the loop made the compiler spill accumulators).
DENDRITE_GEMM_NOINLINE void accumulate(size_t kc, const float* a, const float* b, float* tile) {
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

  _mm256_store_ps(tile + 0, c00);
  _mm256_store_ps(tile + 8, c01);
  _mm256_store_ps(tile + 16, c10);
  _mm256_store_ps(tile + 24, c11);
  _mm256_store_ps(tile + 32, c20);
  _mm256_store_ps(tile + 40, c21);
  _mm256_store_ps(tile + 48, c30);
  _mm256_store_ps(tile + 56, c31);
  _mm256_store_ps(tile + 64, c40);
  _mm256_store_ps(tile + 72, c41);
  _mm256_store_ps(tile + 80, c50);
  _mm256_store_ps(tile + 88, c51);
}

}  // namespace

void micro_kernel_avx2(size_t kc, const float* a, const float* b, float* c, size_t ldc, float alpha,
                       float beta, size_t mr, size_t nr, const float* a_next, const float* b_next) {
  // Bring this tile of C towards L1 while the products are computed.
  for (size_t i = 0; i < mr; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 15), _MM_HINT_T0);
  }
  alignas(32) float tile[kMR * kNR];
  accumulate(kc, a, b, tile);

  // The next micro-panels start loading while this tile is written.
  _mm_prefetch(reinterpret_cast<const char*>(a_next), _MM_HINT_T0);
  _mm_prefetch(reinterpret_cast<const char*>(b_next), _MM_HINT_T0);

  const __m256 alpha_v = _mm256_set1_ps(alpha);
  const bool full = nr == 16;
  const __m256i mask0 = avx2::first_lanes(nr);
  const __m256i mask1 = avx2::first_lanes(nr > 8 ? nr - 8 : 0);
  for (size_t i = 0; i < mr; ++i) store_row(tile + i * kNR, c + i * ldc, alpha_v, beta, full, mask0, mask1);
}

}  // namespace dendrite::gemm
