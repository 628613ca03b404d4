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

// A stored transposed (column-major op(A)): row p of memory holds element
// p of every micro-panel. Sweeping whole rows reads memory contiguously (the
// prefetchers follow), where panel by panel would jump lda floats per step.
void pack_a_transposed(const float* a, size_t lda, size_t rows, size_t kc, float* packed) {
  const size_t full = rows / kMR, tail = rows % kMR;
  const __m256i six = avx2::first_lanes(kMR), rest = avx2::first_lanes(tail);
  for (size_t p = 0; p < kc; ++p) {
    const float* src = a + p * lda;
    // Whole 8-float stores spill two floats into the slot of step p + 1 (written
    // later); the last step's would land in the next panel's first slot,
    // already written, so it stores six lanes only.
    const bool last = p + 1 == kc;
    for (size_t r = 0; r < full; ++r) {
      float* out = packed + r * kMR * kc + p * kMR;
      __m256 v = _mm256_maskload_ps(src + r * kMR, six);
      if (last) {
        _mm256_maskstore_ps(out, six, v);
      } else {
        _mm256_storeu_ps(out, v);
      }
    }
    if (tail != 0) {
      // The last panel: past its end is the buffer's slack.
      _mm256_storeu_ps(packed + full * kMR * kc + p * kMR, _mm256_maskload_ps(src + full * kMR, rest));
    }
  }
}

// B stored row-major: row p of memory holds row p of every micro-panel.
// Whole rows are swept for the same reason as in pack_a_transposed.
void pack_b_rows(const float* b, size_t ldb, size_t cols, size_t kc, float* packed) {
  const size_t full = cols / kNR, tail = cols % kNR;
  const __m256i mask0 = avx2::first_lanes(tail), mask1 = avx2::first_lanes(tail > 8 ? tail - 8 : 0);
  for (size_t p = 0; p < kc; ++p) {
    const float* src = b + p * ldb;
    float* out = packed + p * kNR;
    for (size_t q = 0; q < full; ++q, src += kNR, out += kNR * kc) {
      _mm256_store_ps(out, _mm256_loadu_ps(src));
      _mm256_store_ps(out + 8, _mm256_loadu_ps(src + 8));
    }
    if (tail != 0) {
      _mm256_store_ps(out, _mm256_maskload_ps(src, mask0));
      _mm256_store_ps(out + 8, _mm256_maskload_ps(src + 8, mask1));
    }
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
  if (a.trans) {
    pack_a_transposed(a.data, a.ld, rows, kc, packed);
    return;
  }
  for (size_t i0 = 0; i0 < rows; i0 += kMR) {
    pack_a_panel_rows(a.data + i0 * a.ld, a.ld, std::min(kMR, rows - i0), kc, packed + i0 * kc);
  }
}

void pack_b_avx2(Operand b, size_t kc, size_t cols, float* packed) {
  if (!b.trans) {
    pack_b_rows(b.data, b.ld, cols, kc, packed);
    return;
  }
  for (size_t j0 = 0; j0 < cols; j0 += kNR) {
    pack_b_panel_cols(b.data + j0 * b.ld, b.ld, std::min(kNR, cols - j0), kc, packed + j0 * kc);
  }
}

}  // namespace dendrite::gemm
