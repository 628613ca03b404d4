// Shape of a 2-D pooling window over NCHW planes, with PyTorch's output size
// (ceil_mode false): floor((h + 2·pad − k) / stride) + 1.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dendrite {

struct Pool2dGeometry {
  size_t n = 0, c = 0, h = 0, w = 0;
  size_t kh = 1, kw = 1;
  size_t stride_h = 1, stride_w = 1;
  size_t pad_h = 0, pad_w = 0;
  size_t oh = 0, ow = 0;  // set by pool2d_geometry_resolve

  size_t planes() const { return n * c; }
  size_t input_plane() const { return h * w; }
  size_t output_plane() const { return oh * ow; }
  // The 2×2, stride 2, unpadded window of most CNNs, which has its own fast path.
  bool is_2x2_stride_2() const {
    return kh == 2 && kw == 2 && stride_h == 2 && stride_w == 2 && pad_h == 0 && pad_w == 0;
  }
};

// Output extent along one axis, or false when the window does not fit, the
// input is empty, k or stride is 0, or pad exceeds k/2 (a window could then
// hold only padding). Together these guarantee every window reads an element.
inline bool pool_output_extent(size_t in, size_t k, size_t stride, size_t pad, size_t* out) {
  if (in == 0 || k == 0 || stride == 0 || pad > k / 2) return false;
  uint64_t padded = static_cast<uint64_t>(in) + 2 * static_cast<uint64_t>(pad);
  if (k > padded) return false;
  *out = static_cast<size_t>((padded - k) / stride + 1);
  return true;
}

// Fills g.oh and g.ow; false when the geometry is invalid (see above).
inline bool pool2d_geometry_resolve(Pool2dGeometry& g) {
  return pool_output_extent(g.h, g.kh, g.stride_h, g.pad_h, &g.oh) &&
         pool_output_extent(g.w, g.kw, g.stride_w, g.pad_w, &g.ow);
}

}  // namespace dendrite
