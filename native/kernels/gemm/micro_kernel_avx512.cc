// The AVX-512 micro-kernels: C[MR×32] = alpha·Apanel·Bpanel + beta·C, MR 12 or 8.
//
// With MR 12, twenty-four zmm accumulators (12 rows × 2 vectors of 16) leave
// eight registers for the two B vectors and the A broadcasts: each k step is
// 2 loads, 12 broadcasts and 24 FMAs, twelve cycles of two FMA ports with
// every chain far longer than the FMA latency (MR 8: sixteen chains, still
// twice what the latency needs). The k loop is unrolled by 4
// and prefetches the A micro-panel ahead (B's micro-panel is reused across
// the whole ir loop and stays in L1). Edge tiles (mr < 12 or nr < 32) are
// stored straight from the registers with lane masks: AVX-512 needs no
// buffer for them.
#include <immintrin.h>

#include "gemm/avx512_kernels.h"
#include "gemm/simd_avx512.h"

namespace dendrite::gemm {

namespace {

constexpr size_t NR = kAvx512NR;
using avx512::first_lanes;

// How a finished tile is written: C = alpha·tile + beta·C on the first mr
// rows, the columns enabled in mask0/mask1.
struct TileStore {
  float alpha;
  float beta;
  size_t mr;
  __mmask16 mask0;
  __mmask16 mask1;
};

// The k loop in its own function, so that only integer registers carry the
// other arguments through it.
template <size_t MR>
DENDRITE_GEMM_NOINLINE void accumulate(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                                       const TileStore* store) {
  __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 12
  for (size_t i = 0; i < MR; ++i) {
    acc0[i] = _mm512_setzero_ps();
    acc1[i] = _mm512_setzero_ps();
  }

#define DENDRITE_GEMM_STEP(u)                                      \
  {                                                                \
    const __m512 b0 = _mm512_load_ps(b + (u) * NR);                \
    const __m512 b1 = _mm512_load_ps(b + (u) * NR + 16);           \
    _Pragma("GCC unroll 12") for (size_t i = 0; i < MR; ++i) {     \
      const __m512 av = _mm512_set1_ps(a[(u) * MR + i]);           \
      acc0[i] = _mm512_fmadd_ps(av, b0, acc0[i]);                  \
      acc1[i] = _mm512_fmadd_ps(av, b1, acc1[i]);                  \
    }                                                              \
  }

  size_t p = 0;
  for (; p + 4 <= kc; p += 4) {
    _mm_prefetch(reinterpret_cast<const char*>(a + 8 * MR), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(a + 8 * MR + 16), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(a + 8 * MR + 32), _MM_HINT_T0);
    DENDRITE_GEMM_STEP(0)
    DENDRITE_GEMM_STEP(1)
    DENDRITE_GEMM_STEP(2)
    DENDRITE_GEMM_STEP(3)
    a += 4 * MR;
    b += 4 * NR;
  }
  for (; p < kc; ++p) {
    DENDRITE_GEMM_STEP(0)
    a += MR;
    b += NR;
  }
#undef DENDRITE_GEMM_STEP

  const __m512 alpha = _mm512_set1_ps(store->alpha);
  const float beta = store->beta;
#pragma GCC unroll 12
  for (size_t i = 0; i < MR; ++i) {
    if (i >= store->mr) break;
    float* row = c + i * ldc;
    __m512 v0 = _mm512_mul_ps(alpha, acc0[i]);
    __m512 v1 = _mm512_mul_ps(alpha, acc1[i]);
    if (beta != 0.0f) {
      const __m512 beta_v = _mm512_set1_ps(beta);
      v0 = _mm512_fmadd_ps(beta_v, _mm512_maskz_loadu_ps(store->mask0, row), v0);
      v1 = _mm512_fmadd_ps(beta_v, _mm512_maskz_loadu_ps(store->mask1, row + 16), v1);
    }
    _mm512_mask_storeu_ps(row, store->mask0, v0);
    _mm512_mask_storeu_ps(row + 16, store->mask1, v1);
  }
}

}  // namespace

template <size_t MR>
void micro_kernel_avx512(size_t kc, const float* a, const float* b, float* c, size_t ldc, float alpha,
                         float beta, size_t mr, size_t nr, const float* a_next, const float* b_next) {
  // Bring this tile of C, and the starts of the next micro-panels, towards
  // L1 while the products are computed.
  for (size_t i = 0; i < mr; ++i) {
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 16), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char*>(c + i * ldc + 31), _MM_HINT_T0);
  }
  _mm_prefetch(reinterpret_cast<const char*>(a_next), _MM_HINT_T0);
  _mm_prefetch(reinterpret_cast<const char*>(b_next), _MM_HINT_T0);
  const TileStore store{alpha, beta, mr, first_lanes(nr), first_lanes(nr > 16 ? nr - 16 : 0)};
  accumulate<MR>(kc, a, b, c, ldc, &store);
}

template void micro_kernel_avx512<12>(size_t, const float*, const float*, float*, size_t, float, float, size_t,
                                      size_t, const float*, const float*);
template void micro_kernel_avx512<8>(size_t, const float*, const float*, float*, size_t, float, float, size_t,
                                     size_t, const float*, const float*);

}  // namespace dendrite::gemm
