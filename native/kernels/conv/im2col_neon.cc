// NEON row primitives for im2col/col2im (arm64 builds only): four floats per
// step, tails piecewise; stride-2 rows through vld2q/vst2q, which split and
// merge even and odd elements in the load and store themselves.
#include <arm_neon.h>

#include "conv/im2col.h"
#include "conv/im2col_rows.h"
#include "cpu/simd_neon.h"

namespace dendrite::neon {
namespace {

struct NeonRows {
  static void zero(float* dst, size_t n) {
    const float32x4_t z = vdupq_n_f32(0.0f);
    size_t k = 0;
    for (; k + 4 <= n; k += 4) vst1q_f32(dst + k, z);
    store_first(dst + k, z, n - k);
  }
  static void copy(float* dst, const float* src, size_t n) {
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
      vst1q_f32(dst + k, vld1q_f32(src + k));
      vst1q_f32(dst + k + 4, vld1q_f32(src + k + 4));
    }
    for (; k < n; k += 4) store_first(dst + k, load_first(src + k, n - k), n - k);
  }
  static void gather(float* dst, const float* src, size_t n, size_t stride) {
    size_t k = 0;
    if (stride == 2) {
      // Eight inputs give four outputs (the even ones); the last one read,
      // src[2k + 7], must not lie past src[2(n − 1)], the last one needed.
      for (; k + 5 <= n; k += 4) vst1q_f32(dst + k, vld2q_f32(src + 2 * k).val[0]);
    }
    for (; k < n; ++k) dst[k] = src[k * stride];
  }
  static void add(float* dst, const float* src, size_t n) {
    size_t k = 0;
    for (; k + 4 <= n; k += 4) vst1q_f32(dst + k, vaddq_f32(vld1q_f32(dst + k), vld1q_f32(src + k)));
    if (k < n) store_first(dst + k, vaddq_f32(load_first(dst + k, n - k), load_first(src + k, n - k)), n - k);
  }
  static void scatter_add(float* dst, const float* src, size_t n, size_t stride) {
    size_t k = 0;
    if (stride == 2) {
      // dst[2k'] += src[k'] for four k' at once: the eight destinations are
      // loaded split into even and odd, and the odd ones stored back as they
      // were (same bound on the last one touched as in gather).
      for (; k + 5 <= n; k += 4) {
        float32x4x2_t d = vld2q_f32(dst + 2 * k);
        d.val[0] = vaddq_f32(d.val[0], vld1q_f32(src + k));
        vst2q_f32(dst + 2 * k, d);
      }
    }
    for (; k < n; ++k) dst[k * stride] += src[k];
  }
};

}  // namespace

void im2col_channels(const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* col, size_t ld) {
  im2col_rows::gather<NeonRows>(g, image, c0, c1, p0, p1, col, ld);
}

void col2im_channels(const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* image_grad, bool zero_first) {
  im2col_rows::scatter_add<NeonRows>(g, col, ld, c0, c1, p0, p1, image_grad, zero_first);
}

}  // namespace dendrite::neon
