// im2col and its adjoint col2im for one image, restricted to a range of
// input channels and a range of output pixels, so the column buffer can be
// tiled (bounded scratch) and the work split across threads by channel.
//
// The column matrix of one image has patch_size() = c·kh·kw rows, one per
// (channel, kernel row, kernel column), and one column per output pixel
// p = oy·ow + ox. For output pixels [p0, p1) the buffer holds P = p1 − p0
// columns: element (row r, pixel p) is at col[r·ld + (p − p0)], ld ≥ P (a
// convolution lays several images' tiles side by side in one matrix).
#pragma once

#include <cstddef>

#include "conv/conv2d_geometry.h"
#include "cpu/isa.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define DENDRITE_IM2COL_HAS_AVX2 1
#endif

namespace dendrite {

// Writes the rows of channels [c0, c1) for pixels [p0, p1); padding reads as 0.
void im2col_channels(Isa isa, const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0,
                     size_t p1, float* col, size_t ld);

// Adds the rows of channels [c0, c1) for pixels [p0, p1) back into the image
// gradient (each column entry to the input pixel it was read from; padding
// entries are dropped, and may be overwritten with zeros in `col`). With
// zero_first, planes [c0, c1) are cleared first.
void col2im_channels(Isa isa, const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0,
                     size_t p1, float* image_grad, bool zero_first);

namespace avx2 {
void im2col_channels(const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* col, size_t ld);
void col2im_channels(const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* image_grad, bool zero_first);
}  // namespace avx2

// The NEON row primitives (im2col_neon.cc; arm64 builds only).
namespace neon {
void im2col_channels(const Conv2dGeometry& g, const float* image, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* col, size_t ld);
void col2im_channels(const Conv2dGeometry& g, float* col, size_t ld, size_t c0, size_t c1, size_t p0, size_t p1,
                     float* image_grad, bool zero_first);
}  // namespace neon

}  // namespace dendrite
