// Convolution kernels against a plain double-precision reference, on awkward
// shapes, both ISA paths and 1 and 2 threads; the reference backward is
// itself checked against finite differences of the reference forward.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "conv/conv2d.h"
#include "conv/conv2d_chunks.h"
#include "conv/winograd.h"
#include "test_conv_support.h"
#include "test_harness.h"

using namespace dendrite;

namespace {

using namespace conv_test;

// Largest |got − want| / scale (scale = Σ|terms| + 1e-3, so that tiny sums are not judged relative to 0).
double relative_error(const std::vector<float>& got, const std::vector<double>& want,
                      const std::vector<double>& scale) {
  double most = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    double e = std::fabs(double(got[i]) - want[i]) / (scale[i] + 1e-3);
    if (!(e <= most)) most = e;  // NaN counts as the worst
  }
  return most;
}

// The Winograd kernels called directly, so that the small and odd channel
// counts conv2d_* leaves to im2col are covered too. Their transforms add and
// subtract up to 16 terms before and after the products, so the bound is
// wider than the direct sum's 3e-6 of Σ|terms|.
void check_winograd(Conv2dGeometry g, uint64_t seed) {
  const double bound = 2e-6;
  CHECK(conv2d_geometry_resolve(g) && winograd_geometry_fits(g)) << describe(g);
  Rng rng(seed);
  auto x = rng.vec(g.n * g.c * g.h * g.w), w = rng.vec(g.o * g.c * 9), bias = rng.vec(g.o);
  auto gy = rng.vec(g.n * g.o * g.oh * g.ow);
  Reference ref = reference(g, x, w, bias, gy);
  for (Isa isa : dendrite_test::supported_isas()) {
    for (int threads : {1, 2, 3}) {
      ThreadPool pool(threads);
      Workspace ws;
      Context ctx{isa, &pool, &ws};
      std::string where = describe(g) + " isa " + isa_name(isa) + " threads " + std::to_string(threads);
      std::vector<float> out(ref.out.size(), NAN), gx(x.size(), NAN), gw(w.size(), NAN);
      winograd_conv2d_forward(ctx, g, x.data(), w.data(), bias.data(), out.data());
      double e = relative_error(out, ref.out, ref.out_abs);
      CHECK(e <= bound) << "forward " << where << " error " << e;
      winograd_conv2d_input_gradient(ctx, g, w.data(), gy.data(), gx.data());
      e = relative_error(gx, ref.gx, ref.gx_abs);
      CHECK(e <= bound) << "gx " << where << " error " << e;
      winograd_conv2d_weight_gradient(ctx, g, x.data(), gy.data(), gw.data());
      e = relative_error(gw, ref.gw, ref.gw_abs);
      CHECK(e <= bound) << "gw " << where << " error " << e;
    }
  }
}

}  // namespace

TEST(winograd_covers_the_3x3_stride_1_pad_1_layers_with_8_to_256_channels) {
  auto g = [](size_t c, size_t o, size_t k, size_t stride, size_t pad, size_t dilation) {
    Conv2dGeometry r = make(2, c, 6, 6, o, k, k, stride, stride, pad, pad, dilation, dilation);
    CHECK(conv2d_geometry_resolve(r));
    return r;
  };
  CHECK(winograd_applicable(g(8, 8, 3, 1, 1, 1)) && winograd_applicable(g(256, 256, 3, 1, 1, 1)));
  CHECK(!winograd_applicable(g(7, 64, 3, 1, 1, 1)) && !winograd_applicable(g(64, 7, 3, 1, 1, 1)));
  CHECK(!winograd_applicable(g(257, 64, 3, 1, 1, 1)) && !winograd_applicable(g(64, 257, 3, 1, 1, 1)));
  CHECK(!winograd_applicable(g(64, 64, 3, 2, 1, 1)));  // stride
  CHECK(!winograd_applicable(g(64, 64, 3, 1, 0, 1)));  // padding
  CHECK(!winograd_applicable(g(64, 64, 3, 1, 2, 2)));  // dilation
  CHECK(!winograd_applicable(g(64, 64, 5, 1, 1, 1)));  // kernel size
}

TEST(winograd_matches_reference_on_awkward_shapes) {
  uint64_t seed = 200;
  //                   n   c   h   w   o
  check_winograd(make(1, 1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1), seed++);   // 1×1 image, one channel
  check_winograd(make(3, 2, 1, 1, 5, 3, 3, 1, 1, 1, 1, 1, 1), seed++);   // 1×1 images, a tile each
  check_winograd(make(2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1), seed++);   // odd sides: half tiles
  check_winograd(make(1, 5, 2, 9, 3, 3, 3, 1, 1, 1, 1, 1, 1), seed++);   // one row of tiles
  check_winograd(make(2, 17, 13, 11, 19, 3, 3, 1, 1, 1, 1, 1, 1), seed++); // primes
  check_winograd(make(5, 9, 3, 4, 33, 3, 3, 1, 1, 1, 1, 1, 1), seed++);  // output channels past one row panel
  check_winograd(make(7, 35, 5, 3, 2, 3, 3, 1, 1, 1, 1, 1, 1), seed++);  // input channels past one column panel
  check_winograd(make(3, 8, 31, 29, 8, 3, 3, 1, 1, 1, 1, 1, 1), seed++); // several blocks of tiles
  check_winograd(make(4, 64, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1), seed++); // W2b's layer, smaller batch
}

TEST(conv2d_reference_backward_matches_finite_differences) {
  // The loss L = Σ gy·conv(x, w, b) is linear in each of x, w and b, so
  // central differences in double are exact up to rounding.
  for (auto g : {make(2, 3, 5, 4, 2, 3, 2, 2, 1, 1, 2, 1, 2), make(1, 2, 3, 3, 3, 2, 2, 1, 1, 0, 0, 1, 1)}) {
    conv2d_geometry_resolve(g);
    Rng rng(7);
    auto x = rng.vec(g.n * g.c * g.h * g.w), w = rng.vec(g.o * g.c * g.kh * g.kw), bias = rng.vec(g.o);
    auto gy = rng.vec(g.n * g.o * g.oh * g.ow);
    Reference ref = reference(g, x, w, bias, gy);
    auto loss = [&](const std::vector<float>& xs, const std::vector<float>& ws) {
      Reference r = reference(g, xs, ws, bias, gy);
      double l = 0;
      for (size_t i = 0; i < gy.size(); ++i) l += double(gy[i]) * r.out[i];
      return l;
    };
    const float h = 0.25f;  // exact in float, and the loss is linear
    for (size_t i = 0; i < x.size(); ++i) {
      auto xp = x, xm = x;
      xp[i] += h, xm[i] -= h;
      double fd = (loss(xp, w) - loss(xm, w)) / (double(xp[i]) - double(xm[i]));
      CHECK(std::fabs(fd - ref.gx[i]) < 1e-9) << "gx[" << i << "] " << fd << " vs " << ref.gx[i];
    }
    for (size_t i = 0; i < w.size(); ++i) {
      auto wp = w, wm = w;
      wp[i] += h, wm[i] -= h;
      double fd = (loss(x, wp) - loss(x, wm)) / (double(wp[i]) - double(wm[i]));
      CHECK(std::fabs(fd - ref.gw[i]) < 1e-9) << "gw[" << i << "] " << fd << " vs " << ref.gw[i];
    }
  }
}

TEST(conv2d_awkward_shapes) {
  uint64_t seed = 1;
  //         n  c  h  w   o  kh kw sh sw ph pw dh dw
  check_shape(make(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1), seed++);   // 1×1 image, 1×1 kernel
  check_shape(make(3, 2, 1, 1, 5, 3, 3, 1, 1, 1, 1, 1, 1), seed++);   // 1×1 image, 3×3 kernel, pad 1
  check_shape(make(2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1), seed++);   // odd sizes
  check_shape(make(2, 2, 5, 6, 3, 2, 3, 1, 1, 4, 5, 1, 1), seed++);   // padding larger than the kernel
  check_shape(make(2, 3, 11, 13, 2, 2, 2, 3, 4, 0, 1, 1, 1), seed++); // stride larger than the kernel
  check_shape(make(1, 2, 9, 10, 3, 3, 2, 1, 2, 2, 1, 2, 3), seed++);  // dilation
  check_shape(make(5, 7, 6, 6, 11, 1, 1, 1, 1, 0, 0, 1, 1), seed++);  // pointwise
  check_shape(make(3, 5, 9, 7, 6, 1, 1, 2, 2, 0, 0, 1, 1), seed++);   // 1×1 stride 2
  check_shape(make(2, 3, 5, 5, 2, 1, 1, 1, 1, 1, 1, 1, 1), seed++);   // 1×1 with padding
  check_shape(make(13, 1, 17, 19, 17, 5, 3, 2, 1, 2, 1, 1, 1), seed++); // primes
  check_shape(make(1, 17, 3, 29, 1, 3, 29, 1, 1, 0, 0, 1, 1), seed++); // kernel as large as the input
  check_shape(make(4, 8, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1), seed++); // W2b-like, small (Winograd)
  check_shape(make(2, 256, 3, 5, 8, 3, 3, 1, 1, 1, 1, 1, 1), seed++);  // the widest Winograd layer
  check_shape(make(1, 257, 3, 4, 9, 3, 3, 1, 1, 1, 1, 1, 1), seed++);  // one channel more: im2col
  check_shape(make(2, 7, 5, 5, 9, 3, 3, 1, 1, 1, 1, 1, 1), seed++);    // one channel too few for Winograd
}

TEST(conv2d_stride_2_rows_long_enough_for_vector_gathers) {
  // im2col reads (and col2im adds back) every second input pixel of a row
  // with vector loads that split even and odd elements, once a row has
  // enough outputs that the last odd element read is still inside it: output
  // rows of 5 to 21 pixels, with and without padding, cover the vectors, the
  // bound and the scalar tail on every ISA.
  uint64_t seed = 150;
  //               n  c  h   w  o  kh kw sh sw ph pw dh dw
  check_shape(make(2, 3, 7, 41, 4, 3, 3, 2, 2, 1, 1, 1, 1), seed++);  // ow 21
  check_shape(make(1, 2, 5, 18, 3, 2, 2, 1, 2, 0, 0, 1, 1), seed++);  // ow 9
  check_shape(make(2, 2, 4, 34, 3, 1, 1, 2, 2, 0, 0, 1, 1), seed++);  // 1×1: ow 17
  check_shape(make(1, 3, 6, 11, 2, 3, 1, 1, 2, 0, 1, 1, 1), seed++);  // ow 7
  check_shape(make(2, 2, 3, 9, 5, 1, 3, 1, 2, 0, 0, 1, 1), seed++);   // ow 4: the tail alone
}

TEST(conv2d_chunked_batches_and_tiled_images) {
  // Several chunks of whole images (2 per chunk, 7 images).
  Conv2dGeometry g = make(7, 2, 64, 70, 3, 5, 5, 1, 1, 2, 2, 1, 1);
  conv2d_geometry_resolve(g);
  ConvChunking plan = conv_chunking(g);
  CHECK(plan.images > 1 && plan.images < g.n && plan.tile == g.output_plane()) << plan.images;
  check_shape(g, 101);
  // Small planes: several chunks whose images sit side by side in one column
  // matrix (4 + 4 images), then a last chunk of a single image.
  Conv2dGeometry s = make(9, 64, 14, 14, 3, 3, 3, 1, 1, 1, 1, 1, 1);
  conv2d_geometry_resolve(s);
  plan = conv_chunking(s);
  CHECK(plan.side_by_side && plan.images == 4) << plan.images;
  check_shape(s, 103);
  // One image larger than the column budget: processed in pixel tiles.
  Conv2dGeometry t = make(2, 16, 90, 90, 5, 3, 3, 1, 1, 1, 1, 1, 1);
  conv2d_geometry_resolve(t);
  plan = conv_chunking(t);
  CHECK(plan.images == 1 && plan.tile < t.output_plane()) << plan.tile;
  CHECK(t.patch_size() * plan.buffer_floats() <= kConvColumnBudget) << plan.tile;
  check_shape(t, 102);
}

TEST(conv2d_empty_dimensions) {
  Rng rng(3);
  for (Isa isa : dendrite_test::supported_isas()) {
    Workspace ws;
    Context ctx{isa, nullptr, &ws};
    // No input channels: out = bias, gw empty, gb still the sum of gy.
    Conv2dGeometry g = make(2, 0, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1);
    CHECK(conv2d_geometry_resolve(g));
    std::vector<float> bias = rng.vec(3), out(2 * 3 * 16, NAN), gy = rng.vec(2 * 3 * 16), gb(3, NAN);
    conv2d_forward(ctx, g, nullptr, nullptr, bias.data(), out.data());
    for (size_t i = 0; i < out.size(); ++i) CHECK(out[i] == bias[(i / 16) % 3]) << i;
    conv2d_backward(ctx, g, nullptr, nullptr, gy.data(), nullptr, nullptr, gb.data());
    for (size_t o = 0; o < 3; ++o) {
      double want = 0;
      for (size_t b = 0; b < 2; ++b)
        for (size_t p = 0; p < 16; ++p) want += gy[(b * 3 + o) * 16 + p];
      CHECK(std::fabs(gb[o] - want) < 1e-5) << gb[o] << " vs " << want;
    }
    // No output channels: gx is zero.
    Conv2dGeometry z = make(2, 2, 3, 3, 0, 2, 2, 1, 1, 0, 0, 1, 1);
    CHECK(conv2d_geometry_resolve(z));
    std::vector<float> x = rng.vec(2 * 2 * 9), gx(x.size(), NAN);
    conv2d_backward(ctx, z, x.data(), nullptr, nullptr, gx.data(), nullptr, nullptr);
    for (float v : gx) CHECK(v == 0.0f);
    // Empty batch: gw is zero.
    Conv2dGeometry e = make(0, 2, 3, 3, 2, 2, 2, 1, 1, 0, 0, 1, 1);
    CHECK(conv2d_geometry_resolve(e));
    std::vector<float> w = rng.vec(2 * 2 * 4), gw(w.size(), NAN);
    conv2d_backward(ctx, e, nullptr, w.data(), nullptr, nullptr, gw.data(), nullptr);
    for (float v : gw) CHECK(v == 0.0f);
  }
}

TEST(conv2d_geometry_rejects_kernels_larger_than_the_padded_input) {
  Conv2dGeometry g = make(1, 1, 4, 4, 1, 5, 3, 1, 1, 0, 0, 1, 1);
  CHECK(!conv2d_geometry_resolve(g));
  g.pad_h = 1;
  CHECK(conv2d_geometry_resolve(g) && g.oh == 2 && g.ow == 2) << g.oh << "x" << g.ow;
  g.dilation_w = 3;  // effective width 7 > 4
  CHECK(!conv2d_geometry_resolve(g));
  g = make(1, 1, 4, 4, 1, 3, 3, 0, 1, 0, 0, 1, 1);
  CHECK(!conv2d_geometry_resolve(g));  // stride 0
  g = make(1, 1, 4, 4, 1, size_t{1} << 40, 3, 1, 1, 0, 0, size_t{1} << 40, 1);
  CHECK(!conv2d_geometry_resolve(g));  // dilation·(k−1) overflows
}
