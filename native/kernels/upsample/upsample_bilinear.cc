// Bilinear resizing, separated by axis: each input row that an output row
// needs is first blended along its columns (kept in a two-row cache, since
// neighbouring output rows share input rows), then two such rows are blended
// into the output row, a contiguous loop the compiler vectorises. The order of
// operations is PyTorch's: ly0·(lx0·a + lx1·b) + ly1·(lx0·c + lx1·d).
// Backward is upsample_backward.h's, with both taps.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "pool/for_each_plane.h"
#include "upsample/upsample_backward.h"
#include "upsample/upsample2d.h"
#include "upsample/upsample_coordinates.h"

namespace dendrite {
namespace {

// Column blends of input rows for one plane, two rows remembered.
class RowCache {
 public:
  RowCache(const std::vector<LinearTap>& tx, size_t ow) : tx_(tx), rows_(2 * ow) {}

  void start_plane(const float* plane, size_t w) {
    plane_ = plane, w_ = w;
    held_[0] = held_[1] = SIZE_MAX;
  }

  // The blended input rows i0 and i1 (both may be the same row).
  void pair(size_t i0, size_t i1, const float** r0, const float** r1) {
    const int s0 = slot_for(i0, i1);
    *r0 = slot(s0);
    *r1 = i1 == i0 ? *r0 : slot(slot_for(i1, i0, s0));
  }

 private:
  float* slot(int s) { return rows_.data() + static_cast<size_t>(s) * tx_.size(); }

  // The slot holding `row`, filling one when needed: never `keep`, and never
  // the one holding `also_needed` when there is a choice.
  int slot_for(size_t row, size_t also_needed, int keep = -1) {
    for (int s = 0; s < 2; ++s)
      if (held_[s] == row) return s;
    int s = held_[0] == also_needed ? 1 : 0;
    if (s == keep) s = 1 - s;
    blend_columns(plane_ + row * w_, slot(s));
    held_[s] = row;
    return s;
  }

  void blend_columns(const float* src, float* dst) const {
    for (size_t ox = 0; ox < tx_.size(); ++ox) {
      const LinearTap& t = tx_[ox];
      dst[ox] = t.l0 * src[t.i0] + t.l1 * src[t.i1];
    }
  }

  const std::vector<LinearTap>& tx_;
  std::vector<float> rows_;
  const float* plane_ = nullptr;
  size_t w_ = 0;
  size_t held_[2] = {SIZE_MAX, SIZE_MAX};
};

}  // namespace

void upsample_bilinear2d_forward(const Context& ctx, const Upsample2dGeometry& g, const float* x, float* out) {
  const std::vector<LinearTap> ty = linear_taps(g.h, g.oh, g.scale_h, g.align_corners);
  const std::vector<LinearTap> tx = linear_taps(g.w, g.ow, g.scale_w, g.align_corners);
  const size_t in = g.input_plane(), on = g.output_plane();
  for_each_plane_range(ctx, g.planes(), in + on, [&](size_t p0, size_t p1) {
    RowCache cache(tx, g.ow);
    for (size_t p = p0; p < p1; ++p) {
      cache.start_plane(x + p * in, g.w);
      float* o = out + p * on;
      for (size_t oy = 0; oy < g.oh; ++oy) {
        const LinearTap& t = ty[oy];
        const float *r0, *r1;
        cache.pair(t.i0, t.i1, &r0, &r1);
        float* row = o + oy * g.ow;
        const float l0 = t.l0, l1 = t.l1;
        for (size_t ox = 0; ox < g.ow; ++ox) row[ox] = l0 * r0[ox] + l1 * r1[ox];
      }
    }
  });
}

void upsample_bilinear2d_backward(const Context& ctx, const Upsample2dGeometry& g, const float* gy, float* gx) {
  resize_backward(ctx, g, linear_taps(g.h, g.oh, g.scale_h, g.align_corners),
                  linear_taps(g.w, g.ow, g.scale_w, g.align_corners), true, gy, gx);
}

}  // namespace dendrite
