// Nearest and bilinear resizing against plain double-precision references:
// enlargements and reductions by sizes and by scale factors (including those
// whose 1/scale differs from in/out), 1×1 planes, primes, align_corners both
// ways, every ISA path and 1 and 2 threads; and source positions PyTorch
// gives for a few known cases.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "test_elementwise_support.h"
#include "test_harness.h"
#include "upsample/upsample2d.h"
#include "upsample/upsample_coordinates.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

Upsample2dGeometry resize(size_t n, size_t c, size_t h, size_t w, size_t oh, size_t ow, double sh = 0, double sw = 0,
                          bool align_corners = false) {
  Upsample2dGeometry g;
  g.n = n, g.c = c, g.h = h, g.w = w, g.oh = oh, g.ow = ow;
  g.scale_h = sh, g.scale_w = sw, g.align_corners = align_corners;
  return g;
}

std::string describe(const Upsample2dGeometry& g) {
  return std::to_string(g.n) + "x" + std::to_string(g.c) + "x" + std::to_string(g.h) + "x" + std::to_string(g.w) +
         " -> " + std::to_string(g.oh) + "x" + std::to_string(g.ow) + " scales " + std::to_string(g.scale_h) + "," +
         std::to_string(g.scale_w) + (g.align_corners ? " align" : "");
}

// PyTorch's nearest_idx, written out from its definition (float32 arithmetic is
// part of the rule: torch computes the scale and the product in float).
size_t nearest_reference(size_t dst, size_t in, size_t out, double scale_factor) {
  if (out == in) return dst;
  if (out == 2 * in) return dst / 2;
  const float scale = scale_factor > 0 ? float(1.0 / scale_factor) : float(in) / float(out);
  const long idx = long(std::floor(float(dst) * scale));
  return size_t(std::min(idx, long(in) - 1));
}

// (index, weight) pairs of output position dst along one axis, in double.
std::vector<std::pair<size_t, double>> linear_reference(size_t dst, size_t in, size_t out, double scale_factor,
                                                        bool align_corners) {
  if (out == in) return {{dst, 1.0}};
  double src;
  if (align_corners) {
    src = out > 1 ? double(dst) * double(in - 1) / double(out - 1) : 0.0;
  } else {
    const double scale = scale_factor > 0 ? 1.0 / scale_factor : double(in) / double(out);
    src = std::max((double(dst) + 0.5) * scale - 0.5, 0.0);
  }
  const size_t i0 = std::min(size_t(src), in - 1);
  const size_t i1 = std::min(i0 + 1, in - 1);
  const double l1 = std::min(std::max(src - double(i0), 0.0), 1.0);
  return {{i0, 1.0 - l1}, {i1, l1}};
}

struct Reference {
  std::vector<double> out, grad, grad_scale;
};

// Forward and backward of either mode, from per-axis (index, weight) lists.
Reference reference(const Upsample2dGeometry& g, bool bilinear, const std::vector<float>& x,
                    const std::vector<float>& gy) {
  auto taps = [&](size_t dst, size_t in, size_t out, double sf) {
    if (bilinear) return linear_reference(dst, in, out, sf, g.align_corners);
    return std::vector<std::pair<size_t, double>>{{nearest_reference(dst, in, out, sf), 1.0}};
  };
  const size_t in = g.h * g.w, on = g.oh * g.ow;
  Reference r;
  r.out.assign(g.planes() * on, 0.0), r.grad.assign(g.planes() * in, 0.0), r.grad_scale.assign(g.planes() * in, 0.0);
  for (size_t p = 0; p < g.planes(); ++p)
    for (size_t oy = 0; oy < g.oh; ++oy)
      for (const auto& [iy, wy] : taps(oy, g.h, g.oh, g.scale_h))
        for (size_t ox = 0; ox < g.ow; ++ox)
          for (const auto& [ix, wx] : taps(ox, g.w, g.ow, g.scale_w)) {
            const size_t o = p * on + oy * g.ow + ox, a = p * in + iy * g.w + ix;
            r.out[o] += wy * wx * x[a];
            r.grad[a] += wy * wx * gy[o];
            r.grad_scale[a] += std::fabs(wy * wx * gy[o]);
          }
  return r;
}

void check_resize(const Upsample2dGeometry& g, uint64_t seed) {
  Rng rng(seed);
  const size_t in = g.h * g.w, on = g.oh * g.ow;
  const std::vector<float> x = rng.floats(g.planes() * in), gy = rng.floats(g.planes() * on);
  for (bool bilinear : {false, true}) {
    if (!bilinear && g.align_corners) continue;  // nearest has no corner alignment
    const Reference ref = reference(g, bilinear, x, gy);
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      const std::string where = describe(g) + (bilinear ? " bilinear " : " nearest ") + backend;
      std::vector<float> out(g.planes() * on, NAN), gx(g.planes() * in, NAN);
      if (bilinear) {
        upsample_bilinear2d_forward(ctx, g, x.data(), out.data());
        upsample_bilinear2d_backward(ctx, g, gy.data(), gx.data());
      } else {
        upsample_nearest2d_forward(ctx, g, x.data(), out.data());
        upsample_nearest2d_backward(ctx, g, gy.data(), gx.data());
      }
      // Nearest copies exactly. Bilinear weights carry PyTorch's float32 source coordinates, whose
      // rounding (about 2^-24 of the coordinate, so ~1e-6 in a weight at 40 positions) the double
      // reference does not have.
      const double tol = bilinear ? 1e-5 : 0;
      size_t bad_out = 0, bad_grad = 0;
      for (size_t i = 0; i < out.size(); ++i) bad_out += !near(out[i], ref.out[i], 0, tol);
      for (size_t i = 0; i < gx.size(); ++i) bad_grad += !(std::fabs(gx[i] - ref.grad[i]) <= (tol + 1e-6) * (1 + ref.grad_scale[i]));
      CHECK(bad_out == 0) << bad_out << " wrong outputs, " << where;
      CHECK(bad_grad == 0) << bad_grad << " wrong gradients, " << where;
    });
  }
}

std::vector<size_t> sources(size_t in, size_t out, double scale_factor) { return nearest_sources(in, out, scale_factor); }

}  // namespace

TEST(upsample2d_awkward_shapes) {
  uint64_t seed = 1;
  for (bool align : {false, true}) {
    check_resize(resize(1, 1, 1, 1, 1, 1, 0, 0, align), seed++);      // 1×1 to 1×1
    check_resize(resize(2, 3, 1, 1, 3, 5, 0, 0, align), seed++);      // 1×1 plane enlarged
    check_resize(resize(2, 3, 4, 5, 8, 10, 0, 0, align), seed++);     // exactly twice
    check_resize(resize(1, 2, 7, 5, 17, 13, 0, 0, align), seed++);    // primes up
    check_resize(resize(3, 1, 17, 13, 7, 5, 0, 0, align), seed++);    // primes down
    check_resize(resize(1, 2, 6, 9, 1, 1, 0, 0, align), seed++);      // down to one position
    check_resize(resize(2, 2, 5, 6, 5, 11, 0, 0, align), seed++);     // one axis unchanged
    check_resize(resize(1, 1, 1, 40, 3, 100, 0, 0, align), seed++);   // wide rows (vector loops and tails)
    check_resize(resize(64, 8, 6, 6, 12, 12, 0, 0, align), seed++);   // many planes across threads
    // Scale factors whose 1/scale is not in/out: 10·1.3 = 13, 5·1.5 = 7 (1/1.5 != 5/7), 3·2.2 = 6 (the 2× case).
    check_resize(resize(2, 2, 10, 5, 13, 7, 1.3, 1.5, align), seed++);
    check_resize(resize(1, 3, 3, 7, 6, 2, 2.2, 0.3, align), seed++);
    check_resize(resize(1, 1, 3, 4, 3, 4, 1.2, 1.1, align), seed++);  // out == in despite the factor: a copy
  }
}

TEST(upsample_sources_match_pytorch) {
  // torch.nn.functional.interpolate(mode='nearest', scale_factor=s) on a row of `in`.
  CHECK((sources(10, 13, 1.3) == std::vector<size_t>{0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9}));
  CHECK((sources(3, 6, 2.2) == std::vector<size_t>{0, 0, 1, 1, 2, 2}));  // out = 2·in: halved, not /2.2
  CHECK((sources(5, 7, 1.5) == std::vector<size_t>{0, 0, 1, 2, 2, 3, 4}));
  CHECK((sources(10, 7, 0.7) == std::vector<size_t>{0, 1, 2, 4, 5, 7, 8}));
  CHECK((sources(5, 12, 2.5) == std::vector<size_t>{0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4}));
  // A scale factor so small that 1/scale is infinite in float: 0·∞ reads position 0, the rest the last.
  CHECK((sources(4, 3, 1e-300) == std::vector<size_t>{0, 3, 3}));
  // Bilinear, align_corners false, scale factor 0.7 on [0, 1, 4, 9, 16]: torch gives 0.2143, 2.9286, 9.5.
  const std::vector<LinearTap> t = linear_taps(5, 3, 0.7, false);
  const float row[5] = {0, 1, 4, 9, 16};
  const double want[3] = {0.2142857, 2.9285714, 9.5};
  for (size_t i = 0; i < 3; ++i) {
    CHECK(std::fabs(t[i].l0 * row[t[i].i0] + t[i].l1 * row[t[i].i1] - want[i]) < 1e-5) << i;
  }
}
