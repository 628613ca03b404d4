#include "conv/depthwise_planes.h"

#include <algorithm>
#include <cstring>

namespace dendrite::depthwise {

PhasedPlane phased_plane(const Conv2dGeometry& g) {
  PhasedPlane p;
  p.rows = g.h + 2 * g.pad_h;
  p.phases = g.stride_w;
  p.phase_len = (g.w + 2 * g.pad_w + g.stride_w - 1) / g.stride_w;
  return p;
}

size_t phased_tap(const Conv2dGeometry& g, const PhasedPlane& p, size_t i, size_t j) {
  const size_t col = j * g.dilation_w;
  return i * g.dilation_h * p.row_stride() + (col % p.phases) * p.phase_len + col / p.phases;
}

void fill_phased_plane(const Conv2dGeometry& g, const PhasedPlane& p, const float* plane, float* dst) {
  for (size_t r = 0; r < p.rows; ++r) {
    float* row = dst + r * p.row_stride();
    if (r < g.pad_h || r >= g.pad_h + g.h) {
      std::memset(row, 0, p.row_stride() * sizeof(float));
      continue;
    }
    const float* in = plane + (r - g.pad_h) * g.w;
    if (p.phases == 1) {
      std::memset(row, 0, g.pad_w * sizeof(float));
      std::memcpy(row + g.pad_w, in, g.w * sizeof(float));
      std::memset(row + g.pad_w + g.w, 0, (p.phase_len - g.pad_w - g.w) * sizeof(float));
      continue;
    }
    for (size_t phase = 0; phase < p.phases; ++phase) {
      float* out = row + phase * p.phase_len;
      for (size_t u = 0; u < p.phase_len; ++u) {
        const size_t col = u * p.phases + phase;  // padded column
        out[u] = col >= g.pad_w && col - g.pad_w < g.w ? in[col - g.pad_w] : 0.0f;
      }
    }
  }
}

PaddedPlane padded_gradient_plane(const Conv2dGeometry& g) {
  const Index sh = Index(g.stride_h), sw = Index(g.stride_w);
  PaddedPlane p;
  // Input-gradient row iy reads output rows (iy + ph − i·dh) / sh, from
  // ⌈(ph − (kh−1)·dh) / sh⌉ (iy = 0) to ⌊(ph + h − 1) / sh⌋ (i = 0).
  p.top = size_t(std::max<Index>(0, floor_div(Index((g.kh - 1) * g.dilation_h) - Index(g.pad_h), sh)));
  const Index bottom = floor_div(Index(g.pad_h + g.h) - 1, sh) - (Index(g.oh) - 1);
  // Phase index u of a padded input column reads output column u − ⌊j·dw / sw⌋,
  // u up to ⌊(pw + w − 1) / sw⌋.
  p.left = (g.kw - 1) * g.dilation_w / g.stride_w;
  const Index right = floor_div(Index(g.pad_w + g.w) - 1, sw) + 1 - Index(g.ow);
  p.rows = p.top + g.oh + size_t(std::max<Index>(0, bottom));
  p.row_len = p.left + g.ow + size_t(std::max<Index>(0, right));
  return p;
}

void fill_padded_plane(const Conv2dGeometry& g, const PaddedPlane& p, const float* plane, float* dst) {
  // Margins only: the plane's rows are written once, never cleared first.
  const size_t right = p.row_len - p.left - g.ow;
  std::memset(dst, 0, p.top * p.row_len * sizeof(float));
  for (size_t oy = 0; oy < g.oh; ++oy) {
    float* row = dst + (oy + p.top) * p.row_len;
    std::memset(row, 0, p.left * sizeof(float));
    std::memcpy(row + p.left, plane + oy * g.ow, g.ow * sizeof(float));
    std::memset(row + p.left + g.ow, 0, right * sizeof(float));
  }
  std::memset(dst + (p.top + g.oh) * p.row_len, 0, (p.rows - p.top - g.oh) * p.row_len * sizeof(float));
}

}  // namespace dendrite::depthwise
