// Per-plane pooling kernels behind pool2d.h: the general window loops (the
// scalar path, and every shape without a vector path) and the AVX2 and NEON
// 2×2 stride-2 kernels. Declarations only: no intrinsics here.
#pragma once

#include <cstddef>
#include <cstdint>

#include "cpu/isa.h"
#include "pool/pool2d_geometry.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define DENDRITE_POOL_HAS_AVX2 1
#endif

namespace dendrite {

// One (n, c) plane each.
void maxpool_plane_general(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices);
void avgpool_plane_general(const Pool2dGeometry& g, const float* x, float* out, bool count_include_pad);
void avgpool_plane_backward_general(const Pool2dGeometry& g, const float* gy, float* gx, bool count_include_pad);

namespace avx2 {
void maxpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices);
void avgpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out);
void avgpool_plane_backward_2x2(const Pool2dGeometry& g, const float* gy, float* gx);
}  // namespace avx2

namespace neon {  // arm64 builds only (DENDRITE_HAVE_NEON_KERNELS)
void maxpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices);
void avgpool_plane_2x2(const Pool2dGeometry& g, const float* x, float* out);
void avgpool_plane_backward_2x2(const Pool2dGeometry& g, const float* gy, float* gx);
}  // namespace neon

}  // namespace dendrite
