#include "conv/im2col.h"

#include "conv/im2col_rows.h"

namespace dendrite {
namespace {

// Row primitives in plain C++ (the compiler vectorises the contiguous ones).
struct PortableRows {
  static void zero(float* __restrict dst, size_t n) {
    for (size_t k = 0; k < n; ++k) dst[k] = 0.0f;
  }
  static void copy(float* __restrict dst, const float* __restrict src, size_t n) {
    for (size_t k = 0; k < n; ++k) dst[k] = src[k];
  }
  static void gather(float* __restrict dst, const float* __restrict src, size_t n, size_t stride) {
    for (size_t k = 0; k < n; ++k) dst[k] = src[k * stride];
  }
  static void add(float* __restrict dst, const float* __restrict src, size_t n) {
    for (size_t k = 0; k < n; ++k) dst[k] += src[k];
  }
  static void scatter_add(float* __restrict dst, const float* __restrict src, size_t n, size_t stride) {
    for (size_t k = 0; k < n; ++k) dst[k * stride] += src[k];
  }
};

}  // namespace

void im2col_channels(Isa isa, const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0,
                     size_t p1, float* col, size_t ld) {
#ifdef DENDRITE_IM2COL_HAS_AVX2
  if (has_avx2(isa)) return avx2::im2col_channels(g, image, c0, c1, p0, p1, col, ld);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon::im2col_channels(g, image, c0, c1, p0, p1, col, ld);
#endif
  im2col_rows::gather<PortableRows>(g, image, c0, c1, p0, p1, col, ld);
}

void col2im_channels(Isa isa, const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0,
                     size_t p1, float* image_grad, bool zero_first) {
#ifdef DENDRITE_IM2COL_HAS_AVX2
  if (has_avx2(isa)) return avx2::col2im_channels(g, col, ld, c0, c1, p0, p1, image_grad, zero_first);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon::col2im_channels(g, col, ld, c0, c1, p0, p1, image_grad, zero_first);
#endif
  im2col_rows::scatter_add<PortableRows>(g, col, ld, c0, c1, p0, p1, image_grad, zero_first);
}

}  // namespace dendrite
