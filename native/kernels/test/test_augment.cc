// Augmentation kernels against plain double-precision references, on awkward
// sizes, with 1 and 2 threads.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ios>
#include <random>
#include <vector>

#include "augment/augment.h"
#include "augment/normal_stream.h"
#include "context.h"
#include "test_harness.h"

using namespace dendrite;

namespace {

std::vector<float> random_values(size_t count, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(count);
  for (auto& x : v) x = dist(gen);
  return v;
}

// Straight from the definition in augment.h.
float reference_shift_flip(const std::vector<float>& in, size_t c, size_t h, size_t w, size_t out_h,
                           size_t out_w, size_t i, size_t ch, size_t y, size_t x, int oy, int ox, bool flip,
                           float fill) {
  int64_t xs = flip ? static_cast<int64_t>(out_w) - 1 - static_cast<int64_t>(x) : static_cast<int64_t>(x);
  int64_t sy = static_cast<int64_t>(y) + oy, sx = xs + ox;
  if (sy < 0 || sx < 0 || sy >= static_cast<int64_t>(h) || sx >= static_cast<int64_t>(w)) return fill;
  return in[((i * c + ch) * h + sy) * w + sx];
}

double reference_rotate(const std::vector<float>& in, size_t c, size_t h, size_t w, size_t i, size_t ch,
                        size_t y, size_t x, double angle, double fill) {
  double cx = (w - 1.0) / 2.0, cy = (h - 1.0) / 2.0;
  double qx = x - cx, qy = y - cy;
  double sx = cx + qx * std::cos(angle) - qy * std::sin(angle);
  double sy = cy + qx * std::sin(angle) + qy * std::cos(angle);
  double x0 = std::floor(sx), y0 = std::floor(sy);
  double fx = sx - x0, fy = sy - y0;
  auto at = [&](double yy, double xx) -> double {
    if (yy < 0 || xx < 0 || yy >= static_cast<double>(h) || xx >= static_cast<double>(w)) return fill;
    return in[((i * c + ch) * h + static_cast<size_t>(yy)) * w + static_cast<size_t>(xx)];
  };
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
         fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
}

template <class Body>
void for_each_context(Body body) {
  for (int threads : {1, 2}) {
    for (Isa isa : dendrite_test::supported_isas()) {
      ThreadPool pool(threads);
      Workspace ws;
      Context ctx;
      ctx.isa = isa;
      ctx.pool = &pool;
      ctx.workspace = &ws;
      body(ctx);
    }
  }
}

struct Geometry {
  size_t n, c, h, w, out_h, out_w;
};

}  // namespace

TEST(augment_shift_flip_matches_reference) {
  const Geometry shapes[] = {{0, 1, 3, 3, 3, 3},  {1, 1, 1, 1, 1, 1},   {2, 3, 5, 7, 5, 7},
                             {3, 1, 28, 28, 28, 28}, {2, 2, 13, 17, 11, 19}, {1, 1, 4, 4, 0, 4}};
  for_each_context([&](const Context& ctx) {
    for (const Geometry& g : shapes) {
      std::mt19937 gen(7);
      auto in = random_values(g.n * g.c * g.h * g.w, 11);
      std::vector<int32_t> oy(g.n), ox(g.n);
      std::vector<uint8_t> flip(g.n);
      for (size_t i = 0; i < g.n; ++i) {
        // Offsets from well inside to entirely outside the image.
        oy[i] = static_cast<int32_t>(gen() % (2 * g.h + 5)) - static_cast<int32_t>(g.h) - 2;
        ox[i] = static_cast<int32_t>(gen() % (2 * g.w + 5)) - static_cast<int32_t>(g.w) - 2;
        flip[i] = gen() & 1;
      }
      if (g.n > 0) oy[0] = ox[0] = 0;
      std::vector<float> out(g.n * g.c * g.out_h * g.out_w, 123.0f);
      augment_shift_flip_nchw(ctx, in.data(), out.data(), g.n, g.c, g.h, g.w, g.out_h, g.out_w, oy.data(),
                              ox.data(), flip.data(), -0.5f);
      size_t bad = 0;
      for (size_t i = 0; i < g.n; ++i)
        for (size_t ch = 0; ch < g.c; ++ch)
          for (size_t y = 0; y < g.out_h; ++y)
            for (size_t x = 0; x < g.out_w; ++x) {
              float want = reference_shift_flip(in, g.c, g.h, g.w, g.out_h, g.out_w, i, ch, y, x, oy[i], ox[i],
                                                flip[i] != 0, -0.5f);
              if (out[((i * g.c + ch) * g.out_h + y) * g.out_w + x] != want) ++bad;
            }
      CHECK(bad == 0) << bad << " wrong pixels for " << g.n << "x" << g.c << "x" << g.h << "x" << g.w
                      << " -> " << g.out_h << "x" << g.out_w << " threads " << ctx.threads();
    }
  });
}

TEST(augment_shift_flip_identity_and_mirror) {
  Context ctx;
  std::vector<float> in = {1, 2, 3, 4, 5, 6};  // 1 image, 2 rows, 3 columns
  std::vector<float> out(6);
  int32_t zero = 0;
  uint8_t no = 0, yes = 1;
  augment_shift_flip_nchw(ctx, in.data(), out.data(), 1, 1, 2, 3, 2, 3, &zero, &zero, &no, 0.0f);
  CHECK(out == in);
  augment_shift_flip_nchw(ctx, in.data(), out.data(), 1, 1, 2, 3, 2, 3, &zero, &zero, &yes, 0.0f);
  CHECK((out == std::vector<float>{3, 2, 1, 6, 5, 4}));
  int32_t right = 1;  // output x reads source x + 1: the image moves left
  augment_shift_flip_nchw(ctx, in.data(), out.data(), 1, 1, 2, 3, 2, 3, &zero, &right, &no, 9.0f);
  CHECK((out == std::vector<float>{2, 3, 9, 5, 6, 9}));
}

TEST(augment_rotate_matches_reference) {
  const Geometry shapes[] = {{0, 1, 4, 4, 4, 4}, {1, 1, 1, 1, 1, 1}, {2, 3, 5, 7, 5, 7},
                             {3, 1, 28, 28, 28, 28}, {1, 2, 16, 9, 16, 9}};
  const float angles_pool[] = {0.0f, 0.3f, -0.7f, 3.14159265f, 1.5707963f, -2.5f, 12.0f};
  for_each_context([&](const Context& ctx) {
    for (const Geometry& g : shapes) {
      auto in = random_values(g.n * g.c * g.h * g.w, 5);
      std::vector<float> angles(g.n);
      for (size_t i = 0; i < g.n; ++i) angles[i] = angles_pool[(i * 3 + g.w) % 7];
      std::vector<float> out(in.size(), 123.0f);
      augment_rotate_bilinear_nchw(ctx, in.data(), out.data(), g.n, g.c, g.h, g.w, angles.data(), 0.25f);
      double worst = 0;
      for (size_t i = 0; i < g.n; ++i)
        for (size_t ch = 0; ch < g.c; ++ch)
          for (size_t y = 0; y < g.h; ++y)
            for (size_t x = 0; x < g.w; ++x) {
              double want = reference_rotate(in, g.c, g.h, g.w, i, ch, y, x, angles[i], 0.25);
              double got = out[((i * g.c + ch) * g.h + y) * g.w + x];
              worst = std::fmax(worst, std::fabs(got - want));
            }
      CHECK(worst < 2e-5) << "max error " << worst << " for " << g.n << "x" << g.c << "x" << g.h << "x" << g.w;
    }
  });
}

TEST(augment_rotate_quarter_turn_is_counter_clockwise) {
  Context ctx;
  // 3x3 with a single bright pixel right of the centre.
  std::vector<float> in(9, 0.0f), out(9);
  in[1 * 3 + 2] = 1.0f;
  float angle = 1.5707963267948966f;
  augment_rotate_bilinear_nchw(ctx, in.data(), out.data(), 1, 1, 3, 3, &angle, 0.0f);
  CHECK(std::fabs(out[0 * 3 + 1] - 1.0f) < 1e-5) << "expected at the top centre, got " << out[1];
  float zero = 0.0f;
  augment_rotate_bilinear_nchw(ctx, in.data(), out.data(), 1, 1, 3, 3, &zero, 0.0f);
  CHECK(out == in) << "angle 0 is the identity";
}

TEST(augment_noise_is_normal_and_thread_independent) {
  const size_t count = 200001;  // odd, so chunks start mid-pair
  auto in = random_values(count, 3);
  std::vector<float> single(count), dual(count);
  {
    Context ctx;
    augment_gaussian_noise(ctx, in.data(), single.data(), count, 0.5f, 42, 7, false, 0, 0);
  }
  for_each_context([&](const Context& ctx) {
    augment_gaussian_noise(ctx, in.data(), dual.data(), count, 0.5f, 42, 7, false, 0, 0);
    CHECK(dual == single) << "threads " << ctx.threads();
  });
  double sum = 0, sum_sq = 0;
  size_t bad = 0;
  for (size_t i = 0; i < count; ++i) {
    double z = counter_normal(42, 7 + i);
    float want = in[i] + 0.5f * static_cast<float>(z);
    if (single[i] != want) ++bad;
    sum += z;
    sum_sq += z * z;
  }
  CHECK(bad == 0) << bad << " elements differ from counter_normal";
  double mean = sum / count, var = sum_sq / count - mean * mean;
  CHECK(std::fabs(mean) < 0.01) << "mean " << mean;
  CHECK(std::fabs(var - 1.0) < 0.02) << "variance " << var;
}

TEST(augment_noise_offset_continues_the_stream_and_clamps) {
  Context ctx;
  std::vector<float> in(64, 0.5f), whole(64), first(30), second(34);
  augment_gaussian_noise(ctx, in.data(), whole.data(), 64, 1.0f, 9, 100, false, 0, 0);
  augment_gaussian_noise(ctx, in.data(), first.data(), 30, 1.0f, 9, 100, false, 0, 0);
  augment_gaussian_noise(ctx, in.data(), second.data(), 34, 1.0f, 9, 130, false, 0, 0);
  for (size_t i = 0; i < 30; ++i) CHECK(whole[i] == first[i]) << i;
  for (size_t i = 0; i < 34; ++i) CHECK(whole[30 + i] == second[i]) << i;
  augment_gaussian_noise(ctx, in.data(), in.data(), 64, 3.0f, 1, 0, true, 0.0f, 1.0f);  // in place
  for (float v : in) CHECK(v >= 0.0f && v <= 1.0f) << v;
  std::vector<float> other(64);
  std::vector<float> base(64, 0.5f);
  augment_gaussian_noise(ctx, base.data(), other.data(), 64, 1.0f, 10, 100, false, 0, 0);
  CHECK(other != whole) << "a different seed gives different noise";
}

TEST(augment_noise_vector_paths_agree_with_scalar_bit_for_bit) {
  // Offsets: even, odd, and where the pair counter's high word changes.
  const uint64_t offsets[] = {0, 1, 17, (uint64_t{1} << 33) - 20, (uint64_t{1} << 33) - 21, (uint64_t{1} << 45) + 3};
  const size_t counts[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 1000};
  auto in = random_values(1000, 8);
  in[5] = NAN;  // clamping turns it into lo on every path
  for (Isa isa : dendrite_test::supported_isas()) {
    if (isa == Isa::Scalar) continue;
    for (uint64_t offset : offsets) {
      for (size_t count : counts) {
        for (bool clamp : {false, true}) {
          std::vector<float> scalar_out(count), vector_out(count);
          Context ctx;
          ctx.isa = Isa::Scalar;
          augment_gaussian_noise(ctx, in.data(), scalar_out.data(), count, 0.7f, 12345, offset, clamp, -0.5f, 0.5f);
          ctx.isa = isa;
          augment_gaussian_noise(ctx, in.data(), vector_out.data(), count, 0.7f, 12345, offset, clamp, -0.5f, 0.5f);
          size_t bad = 0;
          for (size_t i = 0; i < count; ++i) {
            bad += std::memcmp(&scalar_out[i], &vector_out[i], sizeof(float)) != 0;
          }
          CHECK(bad == 0) << isa_name(isa) << ": " << bad << " differences, offset " << offset << " count " << count
                          << " clamp " << clamp;
        }
      }
    }
  }
}

TEST(augment_noise_known_answers_on_every_isa) {
  // Pinned bits, so every CPU (x86 and arm64 builds, whose compilers may fuse
  // multiply-adds) and every path must give the same noise.
  const float normals[] = {-0x1.c78f5ap-3f, 0x1.8d9b3ep-1f, 0x1.c5ca0ep-1f, 0x1.16db7ep-1f,
                           -0x1.b8768cp-2f, -0x1.3f5ab2p-3f, -0x1.cc60bcp-1f, 0x1.b6a696p-3f};
  for (int i = 0; i < 8; ++i) {
    const float z = static_cast<float>(counter_normal(7, (uint64_t{1} << 33) + i));
    CHECK(z == normals[i]) << "counter_normal " << i << " " << std::hexfloat << z;
  }
  const float want[] = {-0x1.1cbc2p+0f,  -0x1.e2289p-1f,  -0x1.b2bdb8p-1f, -0x1.1096dap-2f, 0x1.75f51cp-2f,
                        -0x1.9eb4ep-6f,  0x1.2a2b44p-1f,  0x1.0b24aep+0f,  0x1.89ecb4p+0f,  0x1.7d06ap+0f,
                        0x1.9aa852p+0f,  0x1.5e118p+0f,   0x1.0c588cp+1f,  0x1.08d7f8p+1f,  0x1.4c289ep+1f,
                        0x1.5a4778p+1f,  0x1.889bbcp+1f,  0x1.bde268p+1f,  0x1.82255ep+1f,  0x1.05f8d2p+2f};
  const size_t n = sizeof(want) / sizeof(want[0]);
  std::vector<float> in(n);
  for (size_t i = 0; i < n; ++i) in[i] = 0.25f * static_cast<float>(i) - 1.0f;
  for_each_context([&](const Context& ctx) {
    std::vector<float> out(n);
    augment_gaussian_noise(ctx, in.data(), out.data(), n, 0.3f, 99, 5, false, 0, 0);
    for (size_t i = 0; i < n; ++i) {
      CHECK(out[i] == want[i]) << isa_name(ctx.isa) << " element " << i << " " << std::hexfloat << out[i];
    }
  });
}

TEST(augment_normal_stream_math_is_accurate) {
  using namespace dendrite::normal_stream;
  double worst_log = 0, worst_trig = 0;
  for (int i = 1; i <= 200000; ++i) {
    float x = static_cast<float>(i) / 200000.0f * (i % 3 == 0 ? 1e-6f : 1.0f);
    worst_log = std::fmax(worst_log, std::fabs(log_unit(x) - std::log(static_cast<double>(x))) / std::fmax(1.0, std::fabs(std::log(x))));
    double a = (static_cast<double>(i) / 200000.0 - 0.5) * 1.5707963267948966;
    float af = static_cast<float>(a);
    worst_trig = std::fmax(worst_trig, std::fabs(sin_small(af) - std::sin(static_cast<double>(af))));
    worst_trig = std::fmax(worst_trig, std::fabs(cos_small(af) - std::cos(static_cast<double>(af))));
  }
  CHECK(worst_log < 3e-7) << "log error " << worst_log;
  CHECK(worst_trig < 2e-7) << "sin/cos error " << worst_trig;
}

TEST(augment_noise_distribution) {
  // Histogram against the normal CDF, and no correlation between neighbours.
  const size_t n = 400000;
  std::vector<double> z(n);
  for (size_t i = 0; i < n; ++i) z[i] = counter_normal(777, i);
  const double edges[] = {-3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3};
  double worst = 0;
  for (double e : edges) {
    size_t below = 0;
    for (double v : z) below += v < e;
    double want = 0.5 * std::erfc(-e / std::sqrt(2.0));
    worst = std::fmax(worst, std::fabs(static_cast<double>(below) / n - want));
  }
  CHECK(worst < 0.003) << "largest CDF deviation " << worst;
  double lag1 = 0, lag2 = 0;
  for (size_t i = 0; i + 2 < n; ++i) {
    lag1 += z[i] * z[i + 1];
    lag2 += z[i] * z[i + 2];
  }
  CHECK(std::fabs(lag1 / n) < 0.01) << "lag-1 correlation " << lag1 / n;
  CHECK(std::fabs(lag2 / n) < 0.01) << "lag-2 correlation " << lag2 / n;
  double biggest = 0;
  for (double v : z) biggest = std::fmax(biggest, std::fabs(v));
  CHECK(biggest < 6.7 && biggest > 4.0) << "largest |z| " << biggest;
}
