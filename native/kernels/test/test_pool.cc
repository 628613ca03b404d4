// Pooling kernels against a plain double-precision reference on awkward
// shapes (ceil mode and dilation included), with ties and NaNs, every ISA path
// and 1 and 2 threads.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "pool/pool2d.h"
#include "test_harness.h"

using namespace dendrite;

namespace {

struct PoolRng {
  uint64_t s;
  explicit PoolRng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 7) {}
  uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(s >> 32);
  }
  float uniform() { return static_cast<float>((next() >> 8) * (1.0 / 16777216.0)) * 2.0f - 1.0f; }
};

Pool2dGeometry pool(size_t n, size_t c, size_t h, size_t w, size_t kh, size_t kw, size_t sh, size_t sw,
                    size_t ph, size_t pw, bool ceil_mode = false, size_t dh = 1, size_t dw = 1) {
  Pool2dGeometry g;
  g.n = n, g.c = c, g.h = h, g.w = w, g.kh = kh, g.kw = kw;
  g.stride_h = sh, g.stride_w = sw, g.pad_h = ph, g.pad_w = pw;
  g.ceil_mode = ceil_mode, g.dilation_h = dh, g.dilation_w = dw;
  return g;
}

std::string describe(const Pool2dGeometry& g) {
  return std::to_string(g.n) + "x" + std::to_string(g.c) + "x" + std::to_string(g.h) + "x" +
         std::to_string(g.w) + " k" + std::to_string(g.kh) + "x" + std::to_string(g.kw) + " s" +
         std::to_string(g.stride_h) + "," + std::to_string(g.stride_w) + " p" + std::to_string(g.pad_h) +
         "," + std::to_string(g.pad_w) + " d" + std::to_string(g.dilation_h) + "," + std::to_string(g.dilation_w) +
         (g.ceil_mode ? " ceil" : "");
}

// Input positions of window (oy, ox), in row-major order, and how many window
// positions lie inside the padded input [−pad, in + pad) (PyTorch's divisor
// with count_include_pad).
struct Window {
  std::vector<size_t> at;
  size_t padded = 0;
};

Window window(const Pool2dGeometry& g, size_t oy, size_t ox) {
  Window win;
  size_t rows = 0, cols = 0;
  for (size_t i = 0; i < g.kh; ++i) {
    long iy = long(oy * g.stride_h + i * g.dilation_h) - long(g.pad_h);
    if (iy < long(g.h + g.pad_h)) ++rows;
    for (size_t j = 0; j < g.kw; ++j) {
      long ix = long(ox * g.stride_w + j * g.dilation_w) - long(g.pad_w);
      if (i == 0 && ix < long(g.w + g.pad_w)) ++cols;
      if (iy >= 0 && ix >= 0 && iy < long(g.h) && ix < long(g.w)) win.at.push_back(size_t(iy) * g.w + size_t(ix));
    }
  }
  win.padded = rows * cols;
  return win;
}

// Data with many exact ties (a few distinct values) and, optionally, NaNs.
std::vector<float> tied_data(size_t n, PoolRng& rng, bool with_nan) {
  std::vector<float> v(n);
  for (auto& x : v) {
    uint32_t r = rng.next() % 64;
    x = with_nan && r == 0 ? NAN : static_cast<float>(int(r % 7) - 3);
  }
  return v;
}

void check_pool(Pool2dGeometry g, uint64_t seed) {
  CHECK(pool2d_geometry_resolve(g)) << describe(g);
  PoolRng rng(seed);
  const size_t planes = g.planes(), in = g.input_plane(), on = g.output_plane();
  for (int data_kind = 0; data_kind < 3; ++data_kind) {
    std::vector<float> x(planes * in);
    if (data_kind == 0) {
      for (auto& v : x) v = rng.uniform();
    } else {
      x = tied_data(planes * in, rng, data_kind == 2);
    }
    std::vector<float> gy(planes * on);
    for (auto& v : gy) v = rng.uniform();
    // Reference.
    std::vector<float> max_ref(planes * on);
    std::vector<int32_t> idx_ref(planes * on);
    std::vector<double> avg_ref[2], avg_grad_ref[2], max_grad_ref(planes * in, 0.0);
    for (int inc = 0; inc < 2; ++inc) avg_ref[inc].assign(planes * on, 0), avg_grad_ref[inc].assign(planes * in, 0);
    for (size_t p = 0; p < planes; ++p)
      for (size_t oy = 0; oy < g.oh; ++oy)
        for (size_t ox = 0; ox < g.ow; ++ox) {
          const size_t o = p * on + oy * g.ow + ox;
          const Window win = window(g, oy, ox);
          const std::vector<size_t>& at = win.at;
          CHECK(!at.empty()) << "empty window " << describe(g);
          if (at.empty()) return;
          size_t best = at[0];
          double sum = 0;
          for (size_t a : at) {
            float v = x[p * in + a], b = x[p * in + best];
            if (v > b || (std::isnan(v) && !std::isnan(b))) best = a;
            sum += v;
          }
          max_ref[o] = x[p * in + best], idx_ref[o] = int32_t(best);
          max_grad_ref[p * in + best] += gy[o];
          for (int inc = 0; inc < 2; ++inc) {
            double div = inc ? double(win.padded) : double(at.size());
            avg_ref[inc][o] = sum / div;
            for (size_t a : at) avg_grad_ref[inc][p * in + a] += gy[o] / div;
          }
        }
    for (Isa isa : dendrite_test::supported_isas()) {
      for (int threads : {1, 2}) {
        ThreadPool tp(threads);
        Context ctx{isa, &tp, nullptr};
        const std::string where = describe(g) + " data " + std::to_string(data_kind) + " isa " + isa_name(isa) +
                                  " threads " + std::to_string(threads);
        std::vector<float> out(planes * on, -7.0f), gx(planes * in, NAN);
        std::vector<int32_t> idx(planes * on, -1);
        maxpool2d_forward(ctx, g, x.data(), out.data(), idx.data());
        bool same = true;
        for (size_t i = 0; i < out.size(); ++i) {
          bool value_ok = std::isnan(max_ref[i]) ? std::isnan(out[i]) : out[i] == max_ref[i];
          if (!value_ok || idx[i] != idx_ref[i]) {
            CHECK(!same) << "max at " << i << ": " << out[i] << "@" << idx[i] << " vs " << max_ref[i] << "@" << idx_ref[i] << " " << where;
            same = false;
          }
        }
        CHECK(maxpool2d_backward(ctx, gy.data(), idx.data(), gx.data(), planes, in, on)) << where;
        bool grad_ok = true;
        for (size_t i = 0; i < gx.size(); ++i)
          if (!(std::fabs(gx[i] - max_grad_ref[i]) <= 1e-6 * (1 + std::fabs(max_grad_ref[i])))) grad_ok = false;
        CHECK(grad_ok) << "max backward " << where;
        // Averages of NaN are NaN, nothing more to learn; average pooling has no dilation.
        if (data_kind == 2 || g.dilation_h != 1 || g.dilation_w != 1) continue;
        for (int inc = 0; inc < 2; ++inc) {
          std::vector<float> avg(planes * on, NAN), agx(planes * in, NAN);
          avgpool2d_forward(ctx, g, x.data(), avg.data(), inc == 1);
          avgpool2d_backward(ctx, g, gy.data(), agx.data(), inc == 1);
          bool fwd_ok = true, bwd_ok = true;
          for (size_t i = 0; i < avg.size(); ++i)
            if (!(std::fabs(avg[i] - avg_ref[inc][i]) <= 1e-6 * (1 + std::fabs(avg_ref[inc][i])))) fwd_ok = false;
          for (size_t i = 0; i < agx.size(); ++i)
            if (!(std::fabs(agx[i] - avg_grad_ref[inc][i]) <= 1e-6 * (1 + std::fabs(avg_grad_ref[inc][i])))) bwd_ok = false;
          CHECK(fwd_ok) << "avg forward include_pad " << inc << " " << where;
          CHECK(bwd_ok) << "avg backward include_pad " << inc << " " << where;
        }
      }
    }
  }
}

}  // namespace

TEST(pool2d_awkward_shapes) {
  uint64_t seed = 1;
  //              n  c  h   w  kh kw sh sw ph pw
  check_pool(pool(1, 1, 1, 1, 1, 1, 1, 1, 0, 0), seed++);    // 1×1 image
  check_pool(pool(2, 3, 28, 28, 2, 2, 2, 2, 0, 0), seed++);  // W3's window, 14 outputs per row
  check_pool(pool(1, 2, 17, 35, 2, 2, 2, 2, 0, 0), seed++);  // odd sizes, 17 outputs per row
  check_pool(pool(3, 1, 5, 16, 2, 2, 2, 2, 0, 0), seed++);   // exactly 8 outputs per row
  check_pool(pool(2, 2, 7, 9, 2, 2, 2, 2, 0, 0), seed++);    // fewer than 8 outputs per row
  check_pool(pool(2, 3, 14, 14, 2, 2, 2, 2, 0, 0), seed++);  // W7's second pool: 7 outputs per row
  check_pool(pool(1, 2, 2, 3, 2, 2, 2, 2, 0, 0), seed++);    // one output per row, odd width
  check_pool(pool(2, 3, 4, 4, 2, 2, 2, 2, 0, 0), seed++);    // 2 outputs per row (under four lanes)
  check_pool(pool(1, 2, 6, 7, 2, 2, 2, 2, 0, 0), seed++);    // 3 outputs per row, odd width
  check_pool(pool(2, 1, 5, 11, 2, 2, 2, 2, 0, 0), seed++);   // 5 outputs per row: one block and a shifted one
  check_pool(pool(1, 3, 13, 13, 2, 2, 2, 2, 0, 0), seed++);  // 6 outputs per row, odd sizes
  check_pool(pool(2, 3, 9, 11, 3, 3, 2, 2, 1, 1), seed++);   // 3×3 stride 2 pad 1 (overlapping)
  check_pool(pool(1, 2, 6, 7, 3, 2, 1, 1, 1, 1), seed++);    // stride 1, padded
  check_pool(pool(2, 1, 11, 13, 2, 3, 3, 4, 0, 1), seed++);  // stride larger than the kernel
  check_pool(pool(1, 3, 5, 6, 5, 6, 1, 1, 0, 0), seed++);    // global pooling
  check_pool(pool(7, 5, 3, 4, 2, 2, 1, 2, 1, 1), seed++);    // primes, pad = k/2
}

TEST(pool2d_ceil_mode_and_dilation) {
  uint64_t seed = 100;
  //              n  c  h   w  kh kw sh sw ph pw ceil  dh dw
  check_pool(pool(2, 3, 5, 5, 2, 2, 2, 2, 0, 0, true), seed++);          // odd sizes: last window clipped
  check_pool(pool(1, 2, 17, 35, 2, 2, 2, 2, 0, 0, true), seed++);        // 2x2 stride 2 rows past the fast path
  check_pool(pool(1, 2, 16, 16, 2, 2, 2, 2, 0, 0, true), seed++);        // even: same as floor mode
  check_pool(pool(2, 2, 6, 7, 3, 3, 2, 2, 1, 1, true), seed++);          // padded: divisor stops at in + pad
  check_pool(pool(1, 3, 5, 6, 3, 2, 2, 2, 1, 1, true), seed++);          // the last window would start in the padding
  check_pool(pool(1, 1, 1, 1, 2, 2, 2, 2, 1, 1, true), seed++);          // 1×1 image, padded
  check_pool(pool(3, 2, 7, 11, 3, 4, 3, 3, 1, 2, true), seed++);         // primes, stride 3
  check_pool(pool(1, 1, 2, 3, 3, 3, 3, 3, 1, 1, true), seed++);          // one window, mostly padding
  check_pool(pool(2, 2, 9, 10, 3, 3, 1, 1, 1, 1, false, 2, 2), seed++);  // dilated, padded
  check_pool(pool(1, 3, 13, 7, 3, 2, 2, 1, 1, 1, true, 3, 2), seed++);   // dilated, ceil mode
  check_pool(pool(1, 1, 4, 5, 2, 2, 1, 1, 1, 1, false, 4, 5), seed++);   // dilation as large as the input
}

TEST(pool2d_geometry_checks) {
  Pool2dGeometry g = pool(1, 1, 4, 4, 5, 2, 1, 1, 0, 0);
  CHECK(!pool2d_geometry_resolve(g));  // kernel larger than the input
  g.pad_h = 1;
  CHECK(pool2d_geometry_resolve(g) && g.oh == 2) << g.oh;
  g.pad_h = 3;
  CHECK(!pool2d_geometry_resolve(g));  // pad > k/2
  g = pool(1, 1, 4, 4, 2, 2, 0, 1, 0, 0);
  CHECK(!pool2d_geometry_resolve(g));  // stride 0
  g = pool(1, 1, 0, 4, 2, 2, 1, 1, 1, 0);
  CHECK(!pool2d_geometry_resolve(g));  // empty input
  // Ceil mode: 5 wide, k2 s2 gives 3 outputs, the last one clipped.
  g = pool(1, 1, 5, 5, 2, 2, 2, 2, 0, 0, true);
  CHECK(pool2d_geometry_resolve(g) && g.oh == 3 && g.ow == 3) << g.oh << "x" << g.ow;
  // Ceil mode drops a window that would start in the right padding: in 5, k2 s2 p1 gives 3, not 4.
  g = pool(1, 1, 5, 5, 2, 2, 2, 2, 1, 1, true);
  CHECK(pool2d_geometry_resolve(g) && g.oh == 3) << g.oh;
  // A dilated window over a short input that starts in the padding can miss every position.
  g = pool(1, 1, 2, 2, 2, 2, 1, 1, 1, 1, false, 3, 3);
  CHECK(!pool2d_geometry_resolve(g));
  g.dilation_h = 0;
  CHECK(!pool2d_geometry_resolve(g));  // dilation 0
  g = pool(1, 1, 4, 4, 3, 3, 1, 1, 0, 0, false, 2, 1);
  CHECK(!pool2d_geometry_resolve(g));  // dilated span 5 > 4
}

TEST(maxpool2d_backward_rejects_bad_indices) {
  ThreadPool tp(2);
  Context ctx{Isa::Scalar, &tp, nullptr};
  std::vector<float> gy{1, 2, 3, 4}, gx(8, NAN);
  std::vector<int32_t> idx{0, 3, 4, -1};  // planes of 4 inputs, 2 outputs each
  CHECK(!maxpool2d_backward(ctx, gy.data(), idx.data(), gx.data(), 2, 4, 2));
  CHECK(gx[0] == 1 && gx[3] == 2 && gx[4] == 0 && gx[7] == 0);  // valid entries still land
  idx = {0, 3, 2, 1};
  CHECK(maxpool2d_backward(ctx, gy.data(), idx.data(), gx.data(), 2, 4, 2));
  CHECK(gx[6] == 3 && gx[5] == 4);
}
