// AVX-512 packing of A blocks (12- or 8-row micro-panels) and B panels (32-column
// micro-panels) into the layout of gemm_kernels.h. The orientations that need
// a transpose (A stored row-major, B stored transposed) go through 8×8
// register transposes; the others are straight vector copies. Masked loads
// zero-fill the edges and never touch memory outside the operand; masked
// stores never write past a micro-panel.
#include <immintrin.h>

#include <algorithm>

#include "gemm/avx512_kernels.h"
#include "gemm/simd_avx512.h"
#include "gemm/simd_avx2.h"

namespace dendrite::gemm {

namespace {

constexpr size_t NR = kAvx512NR;
using avx512::first_lanes;

// One MR-row micro-panel of A stored row-major (rows i < mr valid): eight
// columns at a time, rows 0-7 and rows 8-15 each through an 8×8 transpose.
template <size_t MR>
void pack_a_panel_rows(const float* a, size_t lda, size_t mr, size_t kc, float* out) {
  const __m256 zero = _mm256_setzero_ps();
  static_assert(MR >= 8 && MR <= 16, "rows 0-7 and 8-15 go through separate transposes");
  const __mmask16 upper = first_lanes(MR > 8 ? MR - 8 : 0);
  size_t p = 0;
  for (; p + 8 <= kc; p += 8) {
    __m256 lo[8];
    for (size_t i = 0; i < 8; ++i) lo[i] = i < mr ? _mm256_loadu_ps(a + i * lda + p) : zero;
    avx2::transpose8x8(lo);
    for (size_t q = 0; q < 8; ++q) _mm256_storeu_ps(out + (p + q) * MR, lo[q]);
    if constexpr (MR > 8) {
      __m256 hi[8];
      for (size_t i = 0; i < 8; ++i) hi[i] = i + 8 < mr && i + 8 < MR ? _mm256_loadu_ps(a + (i + 8) * lda + p) : zero;
      avx2::transpose8x8(hi);
      for (size_t q = 0; q < 8; ++q) _mm512_mask_storeu_ps(out + (p + q) * MR + 8, upper, _mm512_castps256_ps512(hi[q]));
    }
  }
  for (; p < kc; ++p) {
    for (size_t i = 0; i < MR; ++i) out[p * MR + i] = i < mr ? a[i * lda + p] : 0.0f;
  }
}

// A stored transposed (column-major op(A)): row p of memory holds element p
// of every micro-panel; whole rows are swept so memory is read in order.
template <size_t MR>
void pack_a_transposed(const float* a, size_t lda, size_t rows, size_t kc, float* packed) {
  const size_t panels = (rows + MR - 1) / MR;
  for (size_t p = 0; p < kc; ++p) {
    const float* src = a + p * lda;
    for (size_t r = 0; r < panels; ++r) {
      const __mmask16 valid = first_lanes(std::min(MR, rows - r * MR));
      const __m512 v = _mm512_maskz_loadu_ps(valid, src + r * MR);
      _mm512_mask_storeu_ps(packed + r * MR * kc + p * MR, first_lanes(MR), v);
    }
  }
}

// B stored row-major: row p of memory holds row p of every micro-panel.
void pack_b_rows(const float* b, size_t ldb, size_t cols, size_t kc, float* packed) {
  const size_t full = cols / NR, tail = cols % NR;
  const __mmask16 mask0 = first_lanes(tail), mask1 = first_lanes(tail > 16 ? tail - 16 : 0);
  for (size_t p = 0; p < kc; ++p) {
    const float* src = b + p * ldb;
    float* out = packed + p * NR;
    for (size_t q = 0; q < full; ++q, src += NR, out += NR * kc) {
      _mm512_store_ps(out, _mm512_loadu_ps(src));
      _mm512_store_ps(out + 16, _mm512_loadu_ps(src + 16));
    }
    if (tail != 0) {
      _mm512_store_ps(out, _mm512_maskz_loadu_ps(mask0, src));
      _mm512_store_ps(out + 16, _mm512_maskz_loadu_ps(mask1, src + 16));
    }
  }
}

// One micro-panel of B stored transposed: column j of op(B) is row j in
// memory. Eight k steps at a time, each group of 8 columns through a transpose.
void pack_b_panel_cols(const float* b, size_t ldb, size_t nr, size_t kc, float* out) {
  const __m256 zero = _mm256_setzero_ps();
  size_t p = 0;
  for (; p + 8 <= kc; p += 8) {
    for (size_t g = 0; g < NR; g += 8) {
      __m256 r[8];
      for (size_t j = 0; j < 8; ++j) r[j] = g + j < nr ? _mm256_loadu_ps(b + (g + j) * ldb + p) : zero;
      avx2::transpose8x8(r);
      for (size_t q = 0; q < 8; ++q) _mm256_store_ps(out + (p + q) * NR + g, r[q]);
    }
  }
  for (; p < kc; ++p) {
    for (size_t j = 0; j < NR; ++j) out[p * NR + j] = j < nr ? b[j * ldb + p] : 0.0f;
  }
}

}  // namespace

template <size_t MR>
void pack_a_avx512(Operand a, size_t rows, size_t kc, float* packed) {
  if (a.trans) {
    pack_a_transposed<MR>(a.data, a.ld, rows, kc, packed);
    return;
  }
  for (size_t i0 = 0; i0 < rows; i0 += MR) {
    pack_a_panel_rows<MR>(a.data + i0 * a.ld, a.ld, std::min(MR, rows - i0), kc, packed + i0 * kc);
  }
}

template void pack_a_avx512<12>(Operand, size_t, size_t, float*);
template void pack_a_avx512<8>(Operand, size_t, size_t, float*);

void pack_b_avx512(Operand b, size_t kc, size_t cols, float* packed) {
  if (!b.trans) {
    pack_b_rows(b.data, b.ld, cols, kc, packed);
    return;
  }
  for (size_t j0 = 0; j0 < cols; j0 += NR) {
    pack_b_panel_cols(b.data + j0 * b.ld, b.ld, std::min(NR, cols - j0), kc, packed + j0 * kc);
  }
}

}  // namespace dendrite::gemm
