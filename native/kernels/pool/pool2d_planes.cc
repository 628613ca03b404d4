#include "pool/pool2d_planes.h"

#include <algorithm>
#include <cstring>

namespace dendrite {
namespace {

// Input positions [lo, hi) that window `o` covers along one axis (undilated),
// and how many positions of the padded input it covers: PyTorch's divisor with
// count_include_pad counts padding up to in + pad, never past it (a ceil-mode
// window may run further).
struct Span {
  size_t lo, hi, padded;
};

Span window(size_t o, size_t stride, size_t pad, size_t k, size_t in) {
  const std::ptrdiff_t start = static_cast<std::ptrdiff_t>(o * stride) - static_cast<std::ptrdiff_t>(pad);
  const std::ptrdiff_t padded_end =
      std::min(start + static_cast<std::ptrdiff_t>(k), static_cast<std::ptrdiff_t>(in + pad));
  const std::ptrdiff_t end = std::min(padded_end, static_cast<std::ptrdiff_t>(in));
  return {static_cast<size_t>(std::max<std::ptrdiff_t>(start, 0)), static_cast<size_t>(end),
          static_cast<size_t>(padded_end - start)};
}

// The taps of a dilated window inside the input: positions first + t·dilation
// for t in [0, count).
struct Taps {
  size_t first, count;
};

Taps taps(size_t o, size_t stride, size_t pad, size_t k, size_t dilation, size_t in) {
  const std::ptrdiff_t start = static_cast<std::ptrdiff_t>(o * stride) - static_cast<std::ptrdiff_t>(pad);
  const std::ptrdiff_t d = static_cast<std::ptrdiff_t>(dilation);
  const std::ptrdiff_t skip = start < 0 ? (-start + d - 1) / d : 0;  // taps in the left padding
  const std::ptrdiff_t first = start + skip * d;
  std::ptrdiff_t count = static_cast<std::ptrdiff_t>(k) - skip;
  // Taps at or past the right edge.
  const std::ptrdiff_t room = (static_cast<std::ptrdiff_t>(in) - first + d - 1) / d;
  count = std::min(count, room);
  return {static_cast<size_t>(first), static_cast<size_t>(count)};
}

float divisor(const Span& ys, const Span& xs, bool count_include_pad) {
  return count_include_pad ? static_cast<float>(ys.padded * xs.padded)
                           : static_cast<float>((ys.hi - ys.lo) * (xs.hi - xs.lo));
}

}  // namespace

void maxpool_plane_general(const Pool2dGeometry& g, const float* x, float* out, int32_t* indices) {
  for (size_t oy = 0; oy < g.oh; ++oy) {
    const Taps ys = taps(oy, g.stride_h, g.pad_h, g.kh, g.dilation_h, g.h);
    for (size_t ox = 0; ox < g.ow; ++ox) {
      const Taps xs = taps(ox, g.stride_w, g.pad_w, g.kw, g.dilation_w, g.w);
      // The geometry check guarantees at least one tap each way.
      size_t best_at = ys.first * g.w + xs.first;
      float best = x[best_at];
      for (size_t ty = 0; ty < ys.count; ++ty) {
        const size_t row = (ys.first + ty * g.dilation_h) * g.w;
        for (size_t tx = 0; tx < xs.count; ++tx) {
          const size_t at = row + xs.first + tx * g.dilation_w;
          const float v = x[at];
          // Strictly greater keeps the first maximum; the first NaN wins and stays.
          if (v > best || (v != v && best == best)) {
            best = v;
            best_at = at;
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
      out[oy * g.ow + ox] = sum / divisor(ys, xs, count_include_pad);
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
      const float share = gy[oy * g.ow + ox] / divisor(ys, xs, count_include_pad);
      for (size_t iy = ys.lo; iy < ys.hi; ++iy)
        for (size_t ix = xs.lo; ix < xs.hi; ++ix) gx[iy * g.w + ix] += share;
    }
  }
}

}  // namespace dendrite
