// What the inference kernels apply to a result while it is still in
// registers or cache, instead of in separate passes over memory: a
// per-channel bias, ReLU, and a max-pool window.
//
// Max-pooling commutes with both (the bias is the same over a channel's
// plane, ReLU never decreases), so a fused kernel pools the raw sums first
// and adds the bias and clamps only the pooled values.
#pragma once

#include <cstddef>

namespace dendrite::infer {

// A max-pool window without padding or dilation, floor mode; kh == 0 means
// no pooling.
struct PoolWindow {
  size_t kh = 0, kw = 0, stride_h = 1, stride_w = 1;

  bool active() const { return kh != 0; }
  // 2×2 windows of stride 2: exactly the output tiles of Winograd F(2×2, 3×3).
  bool is_2x2_stride_2() const { return kh == 2 && kw == 2 && stride_h == 2 && stride_w == 2; }
};

// Pooled extent along one axis, floor((in − k) / stride) + 1; false when the
// window does not fit (k > in) or k or stride is 0.
inline bool pool_extent(size_t in, size_t k, size_t stride, size_t* out) {
  if (k == 0 || stride == 0 || k > in) return false;
  *out = (in - k) / stride + 1;
  return true;
}

struct ConvEpilogue {
  const float* bias = nullptr;  // [o], or nullptr
  bool relu = false;
  PoolWindow pool;
};

}  // namespace dendrite::infer
