#include "upsample/upsample_coordinates.h"

#include <cmath>

namespace dendrite {
namespace {

// floor(v) as an index in [0, in − 1]; NaN (0·∞ from a tiny scale factor) reads 0.
size_t clamped_index(float v, size_t in) {
  const float f = std::floor(v);
  if (!(f >= 0.0f)) return 0;
  if (f >= static_cast<float>(in - 1)) return in - 1;
  return static_cast<size_t>(f);
}

}  // namespace

float upsample_scale(size_t in, size_t out, double scale_factor) {
  if (scale_factor > 0.0) return static_cast<float>(1.0 / scale_factor);
  return static_cast<float>(in) / static_cast<float>(out);
}

std::vector<size_t> nearest_sources(size_t in, size_t out, double scale_factor) {
  std::vector<size_t> src(out);
  const float scale = upsample_scale(in, out, scale_factor);
  for (size_t dst = 0; dst < out; ++dst) {
    if (out == in) {
      src[dst] = dst;
    } else if (out == 2 * in) {
      src[dst] = dst >> 1;
    } else {
      src[dst] = clamped_index(static_cast<float>(dst) * scale, in);
    }
  }
  return src;
}

std::vector<LinearTap> linear_taps(size_t in, size_t out, double scale_factor, bool align_corners) {
  std::vector<LinearTap> taps(out);
  float scale;
  if (align_corners) {
    scale = out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1) : 0.0f;
  } else {
    scale = upsample_scale(in, out, scale_factor);
  }
  for (size_t dst = 0; dst < out; ++dst) {
    if (out == in) {  // PyTorch copies whatever the scale factor
      taps[dst] = {dst, dst, 1.0f, 0.0f};
      continue;
    }
    float src = align_corners ? scale * static_cast<float>(dst) : scale * (static_cast<float>(dst) + 0.5f) - 0.5f;
    if (!(src > 0.0f)) src = 0.0f;  // negative coordinates (and NaN) read the first position
    const size_t i0 = clamped_index(src, in);
    const float l1 = std::fmin(std::fmax(src - static_cast<float>(i0), 0.0f), 1.0f);
    taps[dst] = {i0, i0 + 1 < in ? i0 + 1 : i0, 1.0f - l1, l1};
  }
  return taps;
}

}  // namespace dendrite
