// AVX2 row primitives for im2col/col2im: eight floats per step with masked
// tails (rows are often short: 14 or 28 pixels), and stride-2 gathers and
// scatter-adds done with shuffles instead of element by element.
#include <immintrin.h>

#include "conv/im2col.h"
#include "conv/im2col_rows.h"

namespace dendrite::avx2 {
namespace {

// Lanes [0, n) on, for a tail of n < 8 elements.
inline __m256i tail_mask(size_t n) {
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), lanes);
}

struct Avx2Rows {
  static void zero(float* dst, size_t n) {
    const __m256 z = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 8 <= n; k += 8) _mm256_storeu_ps(dst + k, z);
    if (k < n) _mm256_maskstore_ps(dst + k, tail_mask(n - k), z);
  }
  static void copy(float* dst, const float* src, size_t n) {
    size_t k = 0;
    for (; k + 8 <= n; k += 8) _mm256_storeu_ps(dst + k, _mm256_loadu_ps(src + k));
    if (k < n) {
      const __m256i m = tail_mask(n - k);
      _mm256_maskstore_ps(dst + k, m, _mm256_maskload_ps(src + k, m));
    }
  }
  static void gather(float* dst, const float* src, size_t n, size_t stride) {
    size_t k = 0;
    if (stride == 2) {
      // Sixteen inputs give eight outputs (the even ones); the last input read,
      // src[2k + 15], must lie before src[2(n − 1)], the last one needed.
      for (; k + 9 <= n; k += 8) {
        const __m256 a = _mm256_loadu_ps(src + 2 * k), b = _mm256_loadu_ps(src + 2 * k + 8);
        const __m256 even = _mm256_shuffle_ps(a, b, 0x88);  // [a0 a2 b0 b2 | a4 a6 b4 b6]
        _mm256_storeu_ps(dst + k, _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(even), 0xD8)));
      }
    }
    for (; k < n; ++k) dst[k] = src[k * stride];
  }
  static void add(float* dst, const float* src, size_t n) {
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
      _mm256_storeu_ps(dst + k, _mm256_add_ps(_mm256_loadu_ps(dst + k), _mm256_loadu_ps(src + k)));
    }
    if (k < n) {
      const __m256i m = tail_mask(n - k);
      _mm256_maskstore_ps(dst + k, m, _mm256_add_ps(_mm256_maskload_ps(dst + k, m), _mm256_maskload_ps(src + k, m)));
    }
  }
  static void scatter_add(float* dst, const float* src, size_t n, size_t stride) {
    size_t k = 0;
    if (stride == 2) {
      // dst[2k'] += src[k'] for eight k' at once: add src interleaved with
      // zeros to sixteen destinations (the odd ones are rewritten unchanged).
      for (; k + 9 <= n; k += 8) {
        const __m256 s = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_loadu_ps(src + k)), 0xD8));
        const __m256 z = _mm256_setzero_ps();
        const __m256 lo = _mm256_unpacklo_ps(s, z), hi = _mm256_unpackhi_ps(s, z);
        _mm256_storeu_ps(dst + 2 * k, _mm256_add_ps(_mm256_loadu_ps(dst + 2 * k), lo));
        _mm256_storeu_ps(dst + 2 * k + 8, _mm256_add_ps(_mm256_loadu_ps(dst + 2 * k + 8), hi));
      }
    }
    for (; k < n; ++k) dst[k * stride] += src[k];
  }
};

}  // namespace

void im2col_channels(const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* col, size_t ld) {
  im2col_rows::gather<Avx2Rows>(g, image, c0, c1, p0, p1, col, ld);
}

void col2im_channels(const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* image_grad, bool zero_first) {
  im2col_rows::scatter_add<Avx2Rows>(g, col, ld, c0, c1, p0, p1, image_grad, zero_first);
}

}  // namespace dendrite::avx2
