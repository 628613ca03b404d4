// What the convolution tests share (test_conv*.cc): a plain double-precision
// reference (every term of the sum, for any groups, stride, padding and
// dilation), the error measure, and the check of the kernels against them.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "conv/conv2d.h"
#include "conv/conv2d_geometry.h"
#include "test_harness.h"

namespace conv_test {

using namespace dendrite;

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  float uniform() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>((s >> 40) * (1.0 / 16777216.0)) * 2.0f - 1.0f;
  }
  std::vector<float> vec(size_t n) {
    std::vector<float> v(n);
    for (auto& x : v) x = uniform();
    return v;
  }
};

inline Conv2dGeometry make(size_t n, size_t c, size_t h, size_t w, size_t o, size_t kh, size_t kw, size_t sh,
                           size_t sw, size_t ph, size_t pw, size_t dh, size_t dw, size_t groups = 1) {
  Conv2dGeometry g;
  g.n = n, g.c = c, g.h = h, g.w = w, g.o = o, g.kh = kh, g.kw = kw;
  g.stride_h = sh, g.stride_w = sw, g.pad_h = ph, g.pad_w = pw, g.dilation_h = dh, g.dilation_w = dw;
  g.groups = groups;
  return g;
}

inline std::string describe(const Conv2dGeometry& g) {
  return "n" + std::to_string(g.n) + " c" + std::to_string(g.c) + " " + std::to_string(g.h) + "x" +
         std::to_string(g.w) + " o" + std::to_string(g.o) + " k" + std::to_string(g.kh) + "x" +
         std::to_string(g.kw) + " s" + std::to_string(g.stride_h) + "," + std::to_string(g.stride_w) + " p" +
         std::to_string(g.pad_h) + "," + std::to_string(g.pad_w) + " d" + std::to_string(g.dilation_h) + "," +
         std::to_string(g.dilation_w) + " g" + std::to_string(g.groups) + " out " + std::to_string(g.oh) + "x" +
         std::to_string(g.ow);
}

// Calls fn(input index, weight index, output index) for every term of the
// convolution sum: output channel o reads the cg input channels of its group.
template <class Fn>
void for_each_term(const Conv2dGeometry& g, Fn&& fn) {
  const size_t cg = g.c / g.groups, og = g.o / g.groups;
  for (size_t b = 0; b < g.n; ++b)
    for (size_t o = 0; o < g.o; ++o)
      for (size_t oy = 0; oy < g.oh; ++oy)
        for (size_t ox = 0; ox < g.ow; ++ox)
          for (size_t k = 0; k < cg; ++k)
            for (size_t i = 0; i < g.kh; ++i)
              for (size_t j = 0; j < g.kw; ++j) {
                long iy = long(oy * g.stride_h + i * g.dilation_h) - long(g.pad_h);
                long ix = long(ox * g.stride_w + j * g.dilation_w) - long(g.pad_w);
                if (iy < 0 || ix < 0 || iy >= long(g.h) || ix >= long(g.w)) continue;
                size_t c = (o / og) * cg + k;
                size_t xi = ((b * g.c + c) * g.h + iy) * g.w + ix;
                size_t wi = ((o * cg + k) * g.kh + i) * g.kw + j;
                size_t yi = ((b * g.o + o) * g.oh + oy) * g.ow + ox;
                fn(xi, wi, yi);
              }
}

// Reference values and gradients, each with the sum of its terms' magnitudes
// (the scale its rounding error is judged against).
struct Reference {
  std::vector<double> out, out_abs, gx, gx_abs, gw, gw_abs, gb, gb_abs;

  // For outputs [images, channels, plane] of x, w and bias: out = bias,
  // gb = Σ gy per channel; add_term() adds the rest.
  Reference(size_t images, size_t channels, size_t plane, const std::vector<float>& x, const std::vector<float>& w,
            const std::vector<float>& bias, const std::vector<float>& gy)
      : x_(x), w_(w), gy_(gy) {
    const size_t out_n = images * channels * plane;
    out.assign(out_n, 0), out_abs.assign(out_n, 0);
    gx.assign(x.size(), 0), gx_abs.assign(x.size(), 0);
    gw.assign(w.size(), 0), gw_abs.assign(w.size(), 0);
    gb.assign(channels, 0), gb_abs.assign(channels, 0);
    for (size_t yi = 0; yi < out_n; ++yi) {
      const size_t ch = (yi / plane) % channels;
      out[yi] = bias[ch], out_abs[yi] = std::fabs(bias[ch]);
      gb[ch] += gy[yi], gb_abs[ch] += std::fabs(gy[yi]);
    }
  }

  // The term x[xi]·w[wi] of output yi, and its share of the gradients.
  void add_term(size_t xi, size_t wi, size_t yi) {
    const double xv = x_[xi], wv = w_[wi], gv = gy_[yi];
    out[yi] += xv * wv, out_abs[yi] += std::fabs(xv * wv);
    gx[xi] += gv * wv, gx_abs[xi] += std::fabs(gv * wv);
    gw[wi] += gv * xv, gw_abs[wi] += std::fabs(gv * xv);
  }

 private:
  const std::vector<float>& x_;
  const std::vector<float>& w_;
  const std::vector<float>& gy_;
};

inline Reference reference(const Conv2dGeometry& g, const std::vector<float>& x, const std::vector<float>& w,
                           const std::vector<float>& bias, const std::vector<float>& gy) {
  Reference r(g.n, g.o, g.oh * g.ow, x, w, bias, gy);
  for_each_term(g, [&](size_t xi, size_t wi, size_t yi) { r.add_term(xi, wi, yi); });
  return r;
}

// Largest violation of |got − want| <= 3e-6·scale + 1e-6 (scale = Σ|terms|); <= 0 passes.
inline double worst(const std::vector<float>& got, const std::vector<double>& want, const std::vector<double>& scale) {
  double bad = -1;
  for (size_t i = 0; i < want.size(); ++i) {
    double err = std::fabs(double(got[i]) - want[i]) - (3e-6 * scale[i] + 1e-6);
    if (!(err <= bad)) bad = err;  // NaN counts as a failure
  }
  return bad;
}

// conv2d_forward and conv2d_backward on geometry g (resolved, perhaps
// cropped) against the reference, on every ISA and 1 and 2 threads; outputs
// start as NaN, so every element must be overwritten.
inline void check_conv2d(const Conv2dGeometry& g, uint64_t seed) {
  Rng rng(seed);
  auto x = rng.vec(g.n * g.c * g.h * g.w), w = rng.vec(g.weight_size()), bias = rng.vec(g.o);
  auto gy = rng.vec(g.n * g.o * g.oh * g.ow);
  Reference ref = reference(g, x, w, bias, gy);
  for (Isa isa : dendrite_test::supported_isas()) {
    for (int threads : {1, 2}) {
      ThreadPool pool(threads);
      Workspace ws;
      Context ctx{isa, &pool, &ws};
      std::string where = describe(g) + " isa " + isa_name(isa) + " threads " + std::to_string(threads);
      std::vector<float> out(ref.out.size(), NAN), gx(x.size(), NAN), gw(w.size(), NAN), gb(g.o, NAN);
      conv2d_forward(ctx, g, x.data(), w.data(), bias.data(), out.data());
      CHECK(worst(out, ref.out, ref.out_abs) <= 0) << "forward " << where;
      conv2d_backward(ctx, g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
      CHECK(worst(gx, ref.gx, ref.gx_abs) <= 0) << "gx " << where;
      CHECK(worst(gw, ref.gw, ref.gw_abs) <= 0) << "gw " << where;
      CHECK(worst(gb, ref.gb, ref.gb_abs) <= 0) << "gb " << where;
      // Without bias, and each gradient alone.
      std::vector<float> out2(ref.out.size(), NAN);
      conv2d_forward(ctx, g, x.data(), w.data(), nullptr, out2.data());
      bool same = true;
      for (size_t i = 0; i < out.size(); ++i) {
        double want = ref.out[i] - bias[(i / (g.oh * g.ow)) % g.o];
        if (!(std::fabs(out2[i] - want) <= 3e-6 * ref.out_abs[i] + 1e-6)) same = false;
      }
      CHECK(same) << "forward without bias " << where;
      std::vector<float> gx2(x.size(), NAN), gw2(w.size(), NAN);
      conv2d_backward(ctx, g, x.data(), w.data(), gy.data(), gx2.data(), nullptr, nullptr);
      conv2d_backward(ctx, g, x.data(), w.data(), gy.data(), nullptr, gw2.data(), nullptr);
      CHECK(gx2 == gx) << "gx alone " << where;
      CHECK(gw2 == gw) << "gw alone " << where;
    }
  }
}

inline void check_shape(Conv2dGeometry g, uint64_t seed) {
  CHECK(conv2d_geometry_resolve(g)) << describe(g);
  check_conv2d(g, seed);
}

}  // namespace conv_test
