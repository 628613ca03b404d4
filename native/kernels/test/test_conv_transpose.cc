// Transposed convolutions against their own double-precision reference
// (each input pixel spreads its weighted kernel over the output), on every
// ISA and 1 and 2 threads, with strides, padding, output padding, dilation
// and groups; and the shapes that have no transposed convolution.
#include <cstring>

#include "conv/conv_transpose2d.h"
#include "conv/depthwise.h"
#include "conv/winograd.h"
#include "test_conv_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace conv_test;

namespace {

ConvTranspose2dShape shape(size_t n, size_t in, size_t h, size_t w, size_t out, size_t kh, size_t kw, size_t s,
                           size_t p, size_t op, size_t d, size_t groups) {
  ConvTranspose2dShape t;
  t.n = n, t.in = in, t.h = h, t.w = w, t.out = out, t.kh = kh, t.kw = kw;
  t.stride_h = s, t.stride_w = s + (s > 1 ? 1 : 0);  // unequal strides when s > 1
  t.pad_h = p, t.pad_w = p;
  t.output_padding_h = op, t.output_padding_w = op;
  t.dilation_h = d, t.dilation_w = d;
  t.groups = groups;
  return t;
}

// Calls fn(input index, weight index, output index) for every term of the
// transposed sum: input pixel (iy, ix) reaches output (iy·s + i·d − p, ix·s + j·d − p).
template <class Fn>
void for_each_transposed_term(const ConvTranspose2dShape& t, size_t oh, size_t ow, Fn&& fn) {
  const size_t ig = t.in / t.groups, og = t.out / t.groups;
  for (size_t b = 0; b < t.n; ++b)
    for (size_t ic = 0; ic < t.in; ++ic)
      for (size_t iy = 0; iy < t.h; ++iy)
        for (size_t ix = 0; ix < t.w; ++ix)
          for (size_t k = 0; k < og; ++k)
            for (size_t i = 0; i < t.kh; ++i)
              for (size_t j = 0; j < t.kw; ++j) {
                long y = long(iy * t.stride_h + i * t.dilation_h) - long(t.pad_h);
                long x = long(ix * t.stride_w + j * t.dilation_w) - long(t.pad_w);
                if (y < 0 || x < 0 || y >= long(oh) || x >= long(ow)) continue;
                size_t oc = (ic / ig) * og + k;
                fn(((b * t.in + ic) * t.h + iy) * t.w + ix, ((ic * og + k) * t.kh + i) * t.kw + j,
                   ((b * t.out + oc) * oh + size_t(y)) * ow + size_t(x));
              }
}

void check_transpose(const ConvTranspose2dShape& t, uint64_t seed) {
  CHECK(conv_transpose2d_problem(t) == nullptr) << conv_transpose2d_problem(t);
  const Conv2dGeometry g = conv_transpose2d_geometry(t);
  const size_t oh = g.h, ow = g.w;
  const size_t want_oh = (t.h - 1) * t.stride_h + t.dilation_h * (t.kh - 1) + t.output_padding_h + 1 - 2 * t.pad_h;
  CHECK(oh == want_oh && g.oh == t.h && g.ow == t.w) << describe(g);
  // The convolution itself, cropped, is right.
  check_conv2d(g, seed);

  Rng rng(seed + 1);
  auto x = rng.vec(t.n * t.in * t.h * t.w), w = rng.vec(g.weight_size()), bias = rng.vec(t.out);
  auto gy = rng.vec(t.n * t.out * oh * ow);
  Reference r(t.n, t.out, oh * ow, x, w, bias, gy);
  for_each_transposed_term(t, oh, ow, [&](size_t xi, size_t wi, size_t yi) { r.add_term(xi, wi, yi); });
  for (Isa isa : dendrite_test::supported_isas()) {
    for (int threads : {1, 2}) {
      ThreadPool pool(threads);
      Workspace ws;
      Context ctx{isa, &pool, &ws};
      std::string where = describe(g) + " isa " + isa_name(isa) + " threads " + std::to_string(threads);
      std::vector<float> y(gy.size(), NAN), gx(x.size(), NAN), gw(w.size(), NAN), gb(t.out, NAN);
      conv_transpose2d_forward(ctx, g, x.data(), w.data(), bias.data(), y.data());
      CHECK(worst(y, r.out, r.out_abs) <= 0) << "forward " << where;
      conv_transpose2d_backward(ctx, g, x.data(), w.data(), gy.data(), gx.data(), gw.data(), gb.data());
      CHECK(worst(gx, r.gx, r.gx_abs) <= 0) << "gx " << where;
      CHECK(worst(gw, r.gw, r.gw_abs) <= 0) << "gw " << where;
      CHECK(worst(gb, r.gb, r.gb_abs) <= 0) << "gb " << where;
      std::vector<float> gw2(w.size(), NAN);
      conv_transpose2d_backward(ctx, g, x.data(), w.data(), gy.data(), nullptr, gw2.data(), nullptr);
      CHECK(gw2 == gw) << "gw alone " << where;
    }
  }
}

}  // namespace

TEST(conv_transpose2d_matches_reference) {
  uint64_t seed = 500;
  //                     n  in  h  w out kh kw  s  p op  d groups
  check_transpose(shape(2, 3, 4, 5, 2, 3, 3, 1, 0, 0, 1, 1), seed++);    // plain
  check_transpose(shape(2, 4, 5, 3, 6, 3, 3, 2, 1, 1, 1, 2), seed++);    // stride 2 (and 3), output padding, groups
  check_transpose(shape(1, 3, 4, 4, 3, 2, 3, 2, 0, 0, 1, 3), seed++);    // depthwise: in = out = groups
  check_transpose(shape(2, 2, 3, 4, 3, 3, 2, 1, 1, 1, 2, 1), seed++);    // output padding ≥ stride (dilation 2): cropped
  check_transpose(shape(1, 2, 3, 3, 2, 1, 1, 1, 0, 1, 2, 2), seed++);    // 1×1, cropped: not pointwise
  check_transpose(shape(2, 9, 5, 6, 12, 3, 3, 3, 2, 2, 1, 3), seed++);   // stride 3 (and 4), primes
  check_transpose(shape(0, 2, 3, 3, 2, 3, 3, 2, 1, 1, 1, 1), seed++);    // empty batch
  check_transpose(shape(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1), seed++);    // 1×1 everything
  check_transpose(shape(3, 5, 7, 2, 10, 4, 1, 2, 1, 0, 1, 5), seed++);   // 5 groups, multiplier 2 on the output side
}

TEST(conv_transpose2d_reuses_the_winograd_and_depthwise_paths) {
  // 3×3, stride 1, padding 1: the adjoint convolution is Winograd's.
  ConvTranspose2dShape w = shape(2, 16, 6, 5, 8, 3, 3, 1, 1, 0, 1, 1);
  CHECK(winograd_applicable(conv_transpose2d_geometry(w)));
  check_transpose(w, 520);
  ConvTranspose2dShape d = shape(2, 6, 7, 9, 6, 3, 3, 2, 1, 1, 1, 6);
  CHECK(depthwise_applicable(conv_transpose2d_geometry(d)));
  check_transpose(d, 521);
}

TEST(conv_transpose2d_rejects_shapes_without_an_output) {
  ConvTranspose2dShape t = shape(1, 2, 4, 4, 2, 3, 3, 2, 1, 1, 1, 1);
  CHECK(conv_transpose2d_problem(t) == nullptr);
  t.output_padding_h = 2;  // not < max(stride 2, dilation 1)
  CHECK(std::strstr(conv_transpose2d_problem(t), "output padding") != nullptr);
  t = shape(1, 2, 4, 4, 2, 3, 3, 1, 0, 0, 2, 1);
  t.output_padding_w = 1;  // < dilation 2: allowed
  CHECK(conv_transpose2d_problem(t) == nullptr);
  t = shape(1, 3, 4, 4, 2, 3, 3, 1, 0, 0, 1, 2);
  CHECK(std::strstr(conv_transpose2d_problem(t), "groups") != nullptr);
  t = shape(1, 2, 1, 1, 2, 1, 1, 1, 1, 0, 1, 1);  // 1 − 2 < 1
  CHECK(std::strstr(conv_transpose2d_problem(t), "smaller than 1") != nullptr);
  t = shape(1, 2, 4, 4, 2, 3, 3, 1, 0, 0, 1, 1);
  t.stride_h = size_t{1} << 45;  // would overflow: no output
  CHECK(conv_transpose2d_problem(t) != nullptr);
  t = shape(1, 2, 0, 4, 2, 3, 3, 1, 0, 0, 1, 1);
  CHECK(std::strstr(conv_transpose2d_problem(t), "at least 1") != nullptr);
}
