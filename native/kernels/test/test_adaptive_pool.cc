// Adaptive max and average pooling against a plain double-precision
// reference: outputs smaller than, equal to and larger than the input,
// sizes that do not divide, 1×1 planes and the global (1×1 output) path,
// with ties and NaNs, every ISA path and 1 and 2 threads.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "pool/adaptive_pool2d.h"
#include "pool/pool2d.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

AdaptivePool2dGeometry adaptive(size_t n, size_t c, size_t h, size_t w, size_t oh, size_t ow) {
  AdaptivePool2dGeometry g;
  g.n = n, g.c = c, g.h = h, g.w = w, g.oh = oh, g.ow = ow;
  return g;
}

std::string describe(const AdaptivePool2dGeometry& g) {
  return std::to_string(g.n) + "x" + std::to_string(g.c) + "x" + std::to_string(g.h) + "x" + std::to_string(g.w) +
         " -> " + std::to_string(g.oh) + "x" + std::to_string(g.ow);
}

// PyTorch's bin of output i: [floor(i·in/out), ceil((i+1)·in/out)), in doubles.
void bin(size_t i, size_t in, size_t out, size_t* begin, size_t* end) {
  *begin = static_cast<size_t>(std::floor(double(i) * double(in) / double(out)));
  *end = static_cast<size_t>(std::ceil(double(i + 1) * double(in) / double(out)));
}

struct Reference {
  std::vector<double> avg, avg_grad, max, max_grad;
  std::vector<int32_t> idx;
};

Reference reference(const AdaptivePool2dGeometry& g, const std::vector<float>& x, const std::vector<float>& gy) {
  const size_t planes = g.planes(), in = g.h * g.w, on = g.oh * g.ow;
  Reference r;
  r.avg.assign(planes * on, 0), r.max.assign(planes * on, 0), r.idx.assign(planes * on, -1);
  r.avg_grad.assign(planes * in, 0), r.max_grad.assign(planes * in, 0);
  for (size_t p = 0; p < planes; ++p)
    for (size_t oy = 0; oy < g.oh; ++oy)
      for (size_t ox = 0; ox < g.ow; ++ox) {
        size_t y0, y1, x0, x1;
        bin(oy, g.h, g.oh, &y0, &y1);
        bin(ox, g.w, g.ow, &x0, &x1);
        const size_t o = p * on + oy * g.ow + ox;
        double sum = 0;
        size_t best = y0 * g.w + x0;
        for (size_t iy = y0; iy < y1; ++iy)
          for (size_t ix = x0; ix < x1; ++ix) {
            const size_t a = iy * g.w + ix;
            const float v = x[p * in + a], b = x[p * in + best];
            if (v > b || (std::isnan(v) && !std::isnan(b))) best = a;
            sum += v;
          }
        const double count = double((y1 - y0) * (x1 - x0));
        r.avg[o] = sum / count;
        r.max[o] = x[p * in + best], r.idx[o] = int32_t(best);
        r.max_grad[p * in + best] += gy[o];
        for (size_t iy = y0; iy < y1; ++iy)
          for (size_t ix = x0; ix < x1; ++ix) r.avg_grad[p * in + iy * g.w + ix] += gy[o] / count;
      }
  return r;
}

bool all_near(const std::vector<float>& got, const std::vector<double>& want, double rel) {
  for (size_t i = 0; i < got.size(); ++i)
    if (!near(got[i], want[i], rel, rel)) return false;
  return true;
}

void check_adaptive(const AdaptivePool2dGeometry& g, uint64_t seed) {
  Rng rng(seed);
  const size_t planes = g.planes(), in = g.h * g.w, on = g.oh * g.ow;
  for (int data_kind = 0; data_kind < 3; ++data_kind) {
    std::vector<float> x(planes * in);
    for (auto& v : x) {
      // Random values, then few distinct values (ties), then ties with NaNs.
      v = data_kind == 0 ? rng.uniform(-1, 1) : float(rng.integer(-3, 4));
      if (data_kind == 2 && rng.integer(0, 20) == 0) v = NAN;
    }
    const std::vector<float> gy = rng.floats(planes * on);
    const Reference ref = reference(g, x, gy);
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      const std::string where = describe(g) + " data " + std::to_string(data_kind) + " " + backend;
      std::vector<float> out(planes * on, -7.0f), gx(planes * in, NAN);
      std::vector<int32_t> idx(planes * on, -1);
      adaptive_maxpool2d_forward(ctx, g, x.data(), out.data(), idx.data());
      CHECK(idx == ref.idx) << "max indices " << where;
      CHECK(all_near(out, ref.max, 0)) << "max values " << where;
      CHECK(maxpool2d_backward(ctx, gy.data(), idx.data(), gx.data(), planes, in, on)) << where;
      CHECK(all_near(gx, ref.max_grad, 1e-6)) << "max backward " << where;
      if (data_kind == 2) return;  // averages of NaN are NaN
      std::vector<float> avg(planes * on, NAN), agx(planes * in, NAN);
      adaptive_avgpool2d_forward(ctx, g, x.data(), avg.data());
      adaptive_avgpool2d_backward(ctx, g, gy.data(), agx.data());
      CHECK(all_near(avg, ref.avg, 2e-6)) << "avg forward " << where;
      CHECK(all_near(agx, ref.avg_grad, 2e-6)) << "avg backward " << where;
    });
  }
}

}  // namespace

TEST(adaptive_pool2d_awkward_shapes) {
  uint64_t seed = 1;
  check_adaptive(adaptive(1, 1, 1, 1, 1, 1), seed++);      // 1×1 to 1×1
  check_adaptive(adaptive(2, 3, 1, 1, 3, 2), seed++);      // 1×1 plane spread over a larger output
  check_adaptive(adaptive(2, 3, 7, 5, 3, 2), seed++);      // sizes that do not divide: overlapping bins
  check_adaptive(adaptive(1, 2, 8, 12, 4, 3), seed++);     // evenly divisible
  check_adaptive(adaptive(3, 2, 3, 5, 7, 11), seed++);     // output larger than the input: repeated positions
  check_adaptive(adaptive(2, 2, 13, 17, 13, 17), seed++);  // output equal to the input
  check_adaptive(adaptive(1, 1, 11, 1, 5, 1), seed++);     // a column
  check_adaptive(adaptive(0, 3, 4, 4, 2, 2), seed++);      // no planes
}

TEST(global_avg_pool2d_matches_double) {
  // The 1×1 output path: one vectorised row sum per plane, planes of every
  // width class (below, at and past the vector width; big enough to thread).
  uint64_t seed = 50;
  for (size_t hw : {1, 7, 8, 9, 31, 64, 100, 4099}) check_adaptive(adaptive(3, 5, hw, 1, 1, 1), seed++);
  check_adaptive(adaptive(2, 3, 17, 23, 1, 1), seed++);
  check_adaptive(adaptive(64, 16, 7, 7, 1, 1), seed++);  // many small planes across threads
}

TEST(adaptive_bins_follow_pytorch) {
  // Bins of 5 over 3 outputs: [0, 2), [1, 4), [3, 5) (overlapping; PyTorch's floor/ceil rule).
  const size_t want[3][2] = {{0, 2}, {1, 4}, {3, 5}};
  for (size_t i = 0; i < 3; ++i) {
    CHECK(adaptive_bin_begin(i, 5, 3) == want[i][0] && adaptive_bin_end(i, 5, 3) == want[i][1]) << i;
  }
  // 2 over 5 outputs: [0, 1), [0, 1), [0, 2), [1, 2), [1, 2) (positions repeat; the middle bin takes both).
  const size_t up[5][2] = {{0, 1}, {0, 1}, {0, 2}, {1, 2}, {1, 2}};
  for (size_t i = 0; i < 5; ++i) {
    CHECK(adaptive_bin_begin(i, 2, 5) == up[i][0] && adaptive_bin_end(i, 2, 5) == up[i][1]) << i;
  }
}
