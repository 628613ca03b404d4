// AVX2 packing of A blocks and B panels into the micro-panel layout of
// gemm_kernels.h. The operand orientations that need a transpose (A stored
// row-major, B stored transposed) go through 8×8 register transposes; the
// others are straight vector copies. Edges are zero-filled with masked loads,
// which never touch memory outside the operand.
#include <immintrin.h>

#include <algorithm>

#include "gemm/avx2_kernels.h"
#include "gemm/simd_avx2.h"

namespace dendrite::gemm {

namespace {

// One MR-row micro-panel of A stored row-major: rows[i] is row i (i < mr).
// Whole 8-float stores overlap the next step's slot by two floats; the last
// one spills into the following panel (packed next) or the buffer's slack.
void pack_a_panel_rows(const float* a, size_t lda, size_t mr, size_t kc, float* out) {
  const __m256 zero = _mm256_setzero_ps();
  size_t p = 0;
  for (; p + 8 <= kc; p += 8) {
    __m256 r[8];
    for (size_t i = 0; i < 8; ++i) r[i] = i < mr ? _mm256_loadu_ps(a + i * lda + p) : zero;
    avx2::transpose8x8(r);
    for (size_t q = 0; q < 8; ++q) _mm256_storeu_ps(out + (p + q) * kMR, r[q]);
  }
  for (; p < kc; ++p) {
    for (size_t i = 0; i < kMR; ++i) out[p * kMR + i] = i < mr ? a[i * lda + p] : 0.0f;
  }
}

// One micro-panel of A stored transposed (column-major op(A)): each k step
// is mr contiguous floats.
void pack_a_panel_cols(const float* a, size_t lda, size_t mr, size_t kc, float* out) {
  const __m256i mask = avx2::first_lanes(mr);
  for (size_t p = 0; p < kc; ++p) _mm256_storeu_ps(out + p * kMR, _mm256_maskload_ps(a + p * lda, mask));
}

// One NR-column micro-panel of B stored row-major: each k step is nr contiguous floats.
void pack_b_panel_rows(const float* b, size_t ldb, size_t nr, size_t kc, float* out) {
  if (nr == kNR) {
    for (size_t p = 0; p < kc; ++p) {
      const float* src = b + p * ldb;
      _mm256_store_ps(out + p * kNR, _mm256_loadu_ps(src));
      _mm256_store_ps(out + p * kNR + 8, _mm256_loadu_ps(src + 8));
    }
    return;
  }
  const __m256i mask0 = avx2::first_lanes(nr);
  const __m256i mask1 = avx2::first_lanes(nr > 8 ? nr - 8 : 0);
  for (size_t p = 0; p < kc; ++p) {
    const float* src = b + p * ldb;
    _mm256_store_ps(out + p * kNR, _mm256_maskload_ps(src, mask0));
    _mm256_store_ps(out + p * kNR + 8, _mm256_maskload_ps(src + 8, mask1));
  }
}

// One micro-panel of B stored transposed: column j of op(B) is row j in memory.
void pack_b_panel_cols(const float* b, size_t ldb, size_t nr, size_t kc, float* out) {
  const __m256 zero = _mm256_setzero_ps();
  size_t p = 0;
  for (; p + 8 <= kc; p += 8) {
    __m256 lo[8], hi[8];
    for (size_t j = 0; j < 8; ++j) {
      lo[j] = j < nr ? _mm256_loadu_ps(b + j * ldb + p) : zero;
      hi[j] = j + 8 < nr ? _mm256_loadu_ps(b + (j + 8) * ldb + p) : zero;
    }
    avx2::transpose8x8(lo);
    avx2::transpose8x8(hi);
    for (size_t q = 0; q < 8; ++q) {
      _mm256_store_ps(out + (p + q) * kNR, lo[q]);
      _mm256_store_ps(out + (p + q) * kNR + 8, hi[q]);
    }
  }
  for (; p < kc; ++p) {
    for (size_t j = 0; j < kNR; ++j) out[p * kNR + j] = j < nr ? b[j * ldb + p] : 0.0f;
  }
}

}  // namespace

void pack_a_avx2(Operand a, size_t rows, size_t kc, float* packed) {
  for (size_t i0 = 0; i0 < rows; i0 += kMR) {
    size_t mr = std::min(kMR, rows - i0);
    float* out = packed + i0 * kc;
    if (a.trans) {
      pack_a_panel_cols(a.data + i0, a.ld, mr, kc, out);
    } else {
      pack_a_panel_rows(a.data + i0 * a.ld, a.ld, mr, kc, out);
    }
  }
}

void pack_b_avx2(Operand b, size_t kc, size_t cols, float* packed) {
  for (size_t j0 = 0; j0 < cols; j0 += kNR) {
    size_t nr = std::min(kNR, cols - j0);
    float* out = packed + j0 * kc;
    if (b.trans) {
      pack_b_panel_cols(b.data + j0 * b.ld, b.ld, nr, kc, out);
    } else {
      pack_b_panel_rows(b.data + j0, b.ld, nr, kc, out);
    }
  }
}

}  // namespace dendrite::gemm
