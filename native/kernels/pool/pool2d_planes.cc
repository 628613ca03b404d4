#include "pool/pool2d_planes.h"

#include <algorithm>
#include <cstring>

namespace dendrite {
namespace {

// Input positions [lo, hi) that window `o` covers along one axis.
struct Span {
  size_t lo, hi;
};

Span window(size_t o, size_t stride, size_t pad, size_t k, size_t in) {
  std::ptrdiff_t start = static_cast<std::ptrdiff_t>(o * stride) - static_cast<std::ptrdiff_t>(pad);
  std::ptrdiff_t end = std::min(start + static_cast<std::ptrdiff_t>(k), static_cast<std::ptrdiff_t>(in));
  return {static_cast<size_t>(std::max<std::ptrdiff_t>(start, 0)), static_cast<size_t>(end)};
}

float divisor(const Pool2dGeometry& g, const Span& ys, const Span& xs, bool count_include_pad) {
  // Without ceil mode every window lies inside the padded image, so the
  // padded count is the full window.
  return count_include_pad ? static_cast<float>(g.kh * g.kw)
                           : static_cast<float>((ys.hi - ys.lo) * (xs.hi - xs.lo));
}

}  // namespace

void maxpool_plane_general(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices) {
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const Span ys = window(oy, g.stride_h, g.pad_h, g.kh, g.h);
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Span xs = window(ox, g.stride_w, g.pad_w, g.kw, g.w);
      // The geometry check (pad <= k/2) guarantees a non-empty window.
      size_t best_at = ys.lo * g.w + xs.lo;
      float best = x[best_at];
      for (size_t iy = ys.lo; iy < ys.hi; ++iy) {
        for (size_t ix = xs.lo; ix < xs.hi; ++ix) {
          const float v = x[iy * g.w + ix];
          // Strictly greater keeps the first maximum; the first NaN wins and stays.
          if (v > best || (v != v && best == best)) {
            best = v;
            best_at = iy * g.w + ix;
          }
        }
      }
      out[oy * g.ow + ox] = best;
      indices[oy * g.ow + ox] = static_cast<int32_t>(best_at);
    }
  }
}

void avgpool_plane_general(const Pool2dGeometry& g, const float* x, float* out, bool count_include_pad) {
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const Span ys = window(oy, g.stride_h, g.pad_h, g.kh, g.h);
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Span xs = window(ox, g.stride_w, g.pad_w, g.kw, g.w);
      float sum = 0.0f;
      for (size_t iy = ys.lo; iy < ys.hi; ++iy)
        for (size_t ix = xs.lo; ix < xs.hi; ++ix) sum += x[iy * g.w + ix];
      out[oy * g.ow + ox] = sum / divisor(g, ys, xs, count_include_pad);
    }
  }
}

void avgpool_plane_backward_general(const Pool2dGeometry& g, const float* gy, float* gx,
                                    bool count_include_pad) {
  std::memset(gx, 0, g.h * g.w * sizeof(float));
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const Span ys = window(oy, g.stride_h, g.pad_h, g.kh, g.h);
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Span xs = window(ox, g.stride_w, g.pad_w, g.kw, g.w);
      const float share = gy[oy * g.ow + ox] / divisor(g, ys, xs, count_include_pad);
      for (size_t iy = ys.lo; iy < ys.hi; ++iy)
        for (size_t ix = xs.lo; ix < xs.hi; ++ix) gx[iy * g.w + ix] += share;
    }
  }
}

}  // namespace dendrite
