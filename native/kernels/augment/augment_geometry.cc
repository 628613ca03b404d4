#include <cmath>
#include <cstring>

#include "augment/augment.h"

namespace dendrite {

namespace {
// Enough planes per task that the pool's dispatch cost stays small next to the copies.
size_t planes_per_task(size_t plane_size) {
  size_t min_chunk = 16384 / (plane_size == 0 ? 1 : plane_size);
  return min_chunk == 0 ? 1 : min_chunk;
}

void fill_row(float* row, size_t count, float fill) {
  for (size_t i = 0; i < count; ++i) row[i] = fill;
}
}  // namespace

void augment_shift_flip_nchw(const Context& ctx, const float* in, float* out, size_t n, size_t c,
                             size_t h, size_t w, size_t out_h, size_t out_w, const int32_t* offset_y,
                             const int32_t* offset_x, const uint8_t* flip, float fill) {
  const size_t planes = n * c;
  const size_t in_plane = h * w;
  const size_t out_plane = out_h * out_w;
  parallel_for(ctx, planes, planes_per_task(out_plane), [&](size_t begin, size_t end, int) {
    for (size_t p = begin; p < end; ++p) {
      const size_t i = p / c;
      const int64_t oy = offset_y[i];
      const int64_t ox = offset_x[i];
      const bool mirrored = flip[i] != 0;
      const float* src_plane = in + p * in_plane;
      float* dst_plane = out + p * out_plane;
      // Output columns [x_lo, x_hi) read source columns x + ox inside [0, w).
      int64_t x_lo = -ox, x_hi = static_cast<int64_t>(w) - ox;
      if (x_lo < 0) x_lo = 0;
      if (x_hi > static_cast<int64_t>(out_w)) x_hi = static_cast<int64_t>(out_w);
      for (size_t y = 0; y < out_h; ++y) {
        float* dst = dst_plane + y * out_w;
        const int64_t sy = static_cast<int64_t>(y) + oy;
        if (sy < 0 || sy >= static_cast<int64_t>(h) || x_lo >= x_hi) {
          fill_row(dst, out_w, fill);
          continue;
        }
        const float* src = src_plane + static_cast<size_t>(sy) * w;
        // Unflipped, output x holds source x + ox; flipped, output out_w-1-x does.
        if (!mirrored) {
          fill_row(dst, static_cast<size_t>(x_lo), fill);
          std::memcpy(dst + x_lo, src + (x_lo + ox), static_cast<size_t>(x_hi - x_lo) * sizeof(float));
          fill_row(dst + x_hi, out_w - static_cast<size_t>(x_hi), fill);
        } else {
          float* rdst = dst + (out_w - 1);
          for (int64_t x = 0; x < x_lo; ++x) rdst[-x] = fill;
          for (int64_t x = x_lo; x < x_hi; ++x) rdst[-x] = src[x + ox];
          for (int64_t x = x_hi; x < static_cast<int64_t>(out_w); ++x) rdst[-x] = fill;
        }
      }
    }
  });
}

void augment_rotate_bilinear_nchw(const Context& ctx, const float* in, float* out, size_t n, size_t c,
                                  size_t h, size_t w, const float* angles, float fill) {
  const size_t planes = n * c;
  const size_t plane = h * w;
  const double cx = (static_cast<double>(w) - 1.0) / 2.0;
  const double cy = (static_cast<double>(h) - 1.0) / 2.0;
  const int64_t ih = static_cast<int64_t>(h), iw = static_cast<int64_t>(w);
  parallel_for(ctx, planes, planes_per_task(plane), [&](size_t begin, size_t end, int) {
    for (size_t p = begin; p < end; ++p) {
      const double angle = angles[p / c];
      const double cs = std::cos(angle), sn = std::sin(angle);
      const float* src = in + p * plane;
      float* dst = out + p * plane;
      auto at = [&](int64_t y, int64_t x) -> float {
        return (y >= 0 && y < ih && x >= 0 && x < iw) ? src[y * iw + x] : fill;
      };
      for (int64_t y = 0; y < ih; ++y) {
        const double qy = static_cast<double>(y) - cy;
        // Source of output (x, y): the inverse rotation of (x - cx, y - cy).
        double sx = cx - cx * cs - qy * sn;
        double sy = cy - cx * sn + qy * cs;
        float* row = dst + y * iw;
        for (int64_t x = 0; x < iw; ++x, sx += cs, sy += sn) {
          // Points more than a pixel outside read only fill (this also keeps the casts in range).
          if (!(sx > -1.0 && sy > -1.0 && sx < static_cast<double>(iw) && sy < static_cast<double>(ih))) {
            row[x] = fill;
            continue;
          }
          // floor() without a libm call: truncate, then step down for negatives.
          int64_t x0 = static_cast<int64_t>(sx), y0 = static_cast<int64_t>(sy);
          x0 -= static_cast<double>(x0) > sx;
          y0 -= static_cast<double>(y0) > sy;
          const float fx = static_cast<float>(sx - static_cast<double>(x0));
          const float fy = static_cast<float>(sy - static_cast<double>(y0));
          float v00, v01, v10, v11;
          if (x0 >= 0 && y0 >= 0 && x0 + 1 < iw && y0 + 1 < ih) {  // the common case: all four inside
            const float* p = src + y0 * iw + x0;
            v00 = p[0];
            v01 = p[1];
            v10 = p[iw];
            v11 = p[iw + 1];
          } else {
            v00 = at(y0, x0);
            v01 = at(y0, x0 + 1);
            v10 = at(y0 + 1, x0);
            v11 = at(y0 + 1, x0 + 1);
          }
          const float top = v00 + fx * (v01 - v00);
          const float bottom = v10 + fx * (v11 - v10);
          row[x] = top + fy * (bottom - top);
        }
      }
    }
  });
}

}  // namespace dendrite
