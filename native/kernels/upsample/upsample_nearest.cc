// Nearest resizing: a gather through per-axis source tables. Output rows that
// read the same input row (every row of an enlargement repeats) are copied
// from the row before instead of gathered again. Backward is
// upsample_backward.h's, with one tap of weight 1 per position.
#include <cstring>
#include <vector>

#include "pool/for_each_plane.h"
#include "upsample/upsample_backward.h"
#include "upsample/upsample2d.h"
#include "upsample/upsample_coordinates.h"

namespace dendrite {

void upsample_nearest2d_forward(const Context& ctx, const Upsample2dGeometry& g, const float* x, float* out) {
  const std::vector<size_t> sy = nearest_sources(g.h, g.oh, g.scale_h);
  const std::vector<size_t> sx = nearest_sources(g.w, g.ow, g.scale_w);
  const size_t in = g.input_plane(), on = g.output_plane();
  for_each_plane(ctx, g.planes(), in + on, [&](size_t p) {
    const float* plane = x + p * in;
    float* o = out + p * on;
    for (size_t oy = 0; oy < g.oh; ++oy) {
      float* row = o + oy * g.ow;
      if (oy > 0 && sy[oy] == sy[oy - 1]) {
        std::memcpy(row, row - g.ow, g.ow * sizeof(float));
        continue;
      }
      const float* src = plane + sy[oy] * g.w;
      for (size_t ox = 0; ox < g.ow; ++ox) row[ox] = src[sx[ox]];
    }
  });
}

void upsample_nearest2d_backward(const Context& ctx, const Upsample2dGeometry& g, const float* gy, float* gx) {
  // One tap of weight 1 per position: the sums are exact copies' sums.
  auto taps = [](const std::vector<size_t>& sources) {
    std::vector<LinearTap> t(sources.size());
    for (size_t i = 0; i < sources.size(); ++i) t[i] = {sources[i], sources[i], 1.0f, 0.0f};
    return t;
  };
  resize_backward(ctx, g, taps(nearest_sources(g.h, g.oh, g.scale_h)), taps(nearest_sources(g.w, g.ow, g.scale_w)),
                  false, gy, gx);
}

}  // namespace dendrite
