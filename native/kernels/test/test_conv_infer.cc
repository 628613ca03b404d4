// The inference kernels (native/kernels/infer) against a plain
// double-precision reference: convolution + bias + ReLU + max-pool on each of
// the three paths (one input channel, Winograd, general) and the fully
// connected layer + bias + ReLU, over awkward shapes, on every ISA (the
// forced scalar run included) and 1 and 3 threads. Outputs start as NaN and
// are followed by sentinels, so every element must be written and nothing
// past the end.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "context.h"
#include "infer/conv_infer.h"
#include "infer/linear_infer.h"
#include "test_conv_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite::infer;

namespace {

using conv_test::Rng;

constexpr float kSentinel = 12345.0f;
constexpr size_t kGuard = 64;

// The epilogue applied to the reference: want = relu(maxpool(conv + bias)),
// each with the largest Σ|terms| of its window as the scale its error is judged against.
struct Expected {
  std::vector<double> want, scale;
  size_t ph = 0, pw = 0;
};

Expected expected_conv(const Conv2dGeometry& g, const std::vector<float>& x, const std::vector<float>& w,
                       const std::vector<float>& bias, const ConvEpilogue& e) {
  std::vector<float> gy(g.n * g.o * g.oh * g.ow, 0.0f);
  conv_test::Reference r = conv_test::reference(g, x, w, bias, gy);
  Expected out;
  out.ph = g.oh, out.pw = g.ow;
  if (e.pool.active()) {
    pool_extent(g.oh, e.pool.kh, e.pool.stride_h, &out.ph);
    pool_extent(g.ow, e.pool.kw, e.pool.stride_w, &out.pw);
  }
  for (size_t p = 0; p < g.n * g.o; ++p) {
    for (size_t py = 0; py < out.ph; ++py) {
      for (size_t px = 0; px < out.pw; ++px) {
        double m = -INFINITY, s = 0;
        const size_t kh = e.pool.active() ? e.pool.kh : 1, kw = e.pool.active() ? e.pool.kw : 1;
        const size_t sh = e.pool.active() ? e.pool.stride_h : 1, sw = e.pool.active() ? e.pool.stride_w : 1;
        for (size_t i = 0; i < kh; ++i) {
          for (size_t j = 0; j < kw; ++j) {
            const size_t yi = (p * g.oh + py * sh + i) * g.ow + px * sw + j;
            m = std::max(m, r.out[yi]);
            s = std::max(s, r.out_abs[yi]);
          }
        }
        out.want.push_back(e.relu ? std::max(m, 0.0) : m);
        out.scale.push_back(s);
      }
    }
  }
  return out;
}

// Largest violation of |got − want| <= bound·scale + 1e-6; <= 0 passes.
double worst(const float* got, const std::vector<double>& want, const std::vector<double>& scale, double bound) {
  double bad = -1;
  for (size_t i = 0; i < want.size(); ++i) {
    const double err = std::fabs(double(got[i]) - want[i]) - (bound * scale[i] + 1e-6);
    if (!(err <= bad)) bad = err;  // NaN counts as a failure
  }
  return bad;
}

bool guard_intact(const std::vector<float>& buffer, size_t used) {
  for (size_t i = used; i < buffer.size(); ++i) {
    if (buffer[i] != kSentinel) return false;
  }
  return true;
}

std::string describe(const Conv2dGeometry& g, const ConvEpilogue& e) {
  std::string s = conv_test::describe(g) + (e.bias != nullptr ? " bias" : "") + (e.relu ? " relu" : "");
  if (e.pool.active()) {
    s += " pool " + std::to_string(e.pool.kh) + "x" + std::to_string(e.pool.kw) + "/" + std::to_string(e.pool.stride_h) +
         "," + std::to_string(e.pool.stride_w);
  }
  return s;
}

// fn(ctx, "isa … threads …") on every ISA this CPU runs and 1 and 3 threads.
template <class Fn>
void for_each_context(Fn&& fn) {
  for (Isa isa : dendrite_test::supported_isas()) {
    for (int threads : {1, 3}) {
      ThreadPool tp(threads);
      Workspace ws;
      Context ctx{isa, &tp, &ws};
      fn(ctx, std::string(" isa ") + isa_name(isa) + " threads " + std::to_string(threads));
    }
  }
}

// Winograd's transforms add and subtract up to 16 terms before and after the
// products, so its results may stray a little further from the exact sum.
double bound_for(ConvPath path) { return path == ConvPath::Winograd ? 4e-6 : 3e-6; }

void check_conv(Conv2dGeometry g, ConvPath path, bool bias, bool relu, PoolWindow pool, uint64_t seed) {
  CHECK(conv2d_geometry_resolve(g)) << conv_test::describe(g);
  CHECK(conv2d_infer_path(g) == path) << "path of " << conv_test::describe(g);
  Rng rng(seed);
  auto x = rng.vec(g.n * g.c * g.h * g.w), w = rng.vec(g.weight_size()), b = rng.vec(g.o);
  ConvEpilogue e;
  e.bias = bias ? b.data() : nullptr;
  e.relu = relu;
  e.pool = pool;
  std::vector<float> zero_bias(g.o, 0.0f);
  const Expected want = expected_conv(g, x, w, bias ? b : zero_bias, e);
  const size_t used = g.n * g.o * want.ph * want.pw;
  for_each_context([&](const Context& ctx, const std::string& backend) {
    std::vector<float> out(used + kGuard, kSentinel);
    std::fill(out.begin(), out.begin() + used, NAN);
    conv2d_infer(ctx, g, x.data(), w.data(), e, out.data());
    const std::string where = describe(g, e) + backend;
    CHECK(worst(out.data(), want.want, want.scale, bound_for(path)) <= 0) << where;
    CHECK(guard_intact(out, used)) << "wrote past the output: " << where;
  });
}

PoolWindow pool(size_t kh, size_t kw, size_t sh, size_t sw) {
  PoolWindow p;
  p.kh = kh, p.kw = kw, p.stride_h = sh, p.stride_w = sw;
  return p;
}

const PoolWindow kNoPool{};
const PoolWindow kPool2 = pool(2, 2, 2, 2);

using conv_test::make;

TEST(conv_infer_single_channel) {
  const ConvPath s = ConvPath::SingleChannel;
  // The Fashion CNN's first layer, conv + ReLU + 2×2 pool.
  check_conv(make(2, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1), s, true, true, kPool2, 1);
  check_conv(make(1, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1), s, true, true, kNoPool, 2);
  // Odd sizes, no padding, no epilogue at all.
  check_conv(make(1, 1, 5, 7, 3, 3, 3, 1, 1, 0, 0, 1, 1), s, false, false, kNoPool, 3);
  // Row stride, odd pooled extents (13 → 6 rows dropped at the edge).
  check_conv(make(3, 1, 25, 17, 5, 3, 3, 2, 1, 1, 1, 1, 1), s, true, true, kPool2, 4);
  // Column stride (one output at a time), an overlapping 3×3 pool of stride 2.
  check_conv(make(2, 1, 11, 9, 4, 3, 3, 1, 2, 1, 1, 1, 1), s, true, false, pool(3, 3, 2, 2), 5);
  // Other kernel sizes, dilation, a row crossing vector boundaries twice.
  check_conv(make(1, 1, 10, 10, 3, 5, 5, 1, 1, 2, 2, 1, 1), s, true, true, kNoPool, 6);
  check_conv(make(1, 1, 12, 12, 2, 3, 3, 1, 1, 2, 2, 2, 2), s, true, true, pool(2, 3, 1, 2), 7);
  check_conv(make(2, 1, 19, 37, 7, 2, 4, 1, 1, 0, 1, 1, 1), s, true, true, kPool2, 8);
  check_conv(make(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1), s, true, true, kNoPool, 9);
  check_conv(make(5, 1, 3, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1), s, true, false, pool(3, 2, 1, 1), 10);
  // The fused 3×3 + 2×2 pool on odd extents (the last row and column dropped), two
  // vectors of pooled columns, and an image too small to pool more than once.
  check_conv(make(3, 1, 13, 27, 5, 3, 3, 1, 1, 0, 0, 1, 1), s, true, true, kPool2, 27);
  check_conv(make(1, 1, 9, 40, 3, 3, 3, 1, 1, 2, 2, 1, 1), s, false, true, kPool2, 28);
  check_conv(make(2, 1, 2, 2, 4, 3, 3, 1, 1, 1, 1, 1, 1), s, true, false, kPool2, 29);
}

TEST(conv_infer_winograd) {
  const ConvPath wg = ConvPath::Winograd;
  // The Fashion CNN's second layer; with 3 threads its chunks split images.
  check_conv(make(3, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, true, kPool2, 11);
  // Odd outputs: the last tile row and column hold half a pooling window.
  check_conv(make(2, 5, 7, 9, 3, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, true, kPool2, 12);
  check_conv(make(1, 4, 15, 13, 9, 3, 3, 1, 1, 0, 0, 1, 1), wg, true, true, kNoPool, 13);
  check_conv(make(2, 17, 31, 29, 10, 3, 3, 1, 1, 2, 2, 1, 1), wg, false, false, kNoPool, 14);
  // A pool the tiles cannot take (3×3 of stride 2), then one of stride 1.
  check_conv(make(5, 8, 6, 6, 13, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, true, pool(3, 3, 2, 2), 15);
  check_conv(make(1, 8, 6, 7, 3, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, false, pool(2, 2, 1, 1), 16);
  // Tiny images (one tile), output channels not a multiple of any micro-tile.
  check_conv(make(1, 6, 2, 2, 5, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, true, kPool2, 17);
  check_conv(make(4, 7, 3, 3, 1, 3, 3, 1, 1, 0, 0, 1, 1), wg, true, true, kNoPool, 18);
  // Several chunks per thread: 128 tiles per chunk at 64 channels, 25 tiles per image.
  check_conv(make(7, 64, 10, 10, 33, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, true, kPool2, 19);
  // A pool left to the epilogue with more raw output than one chunk of images holds (16 images of 20).
  check_conv(make(20, 4, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1), wg, true, true, pool(3, 3, 2, 2), 30);
  // Asymmetric padding, a wide image whose tile rows cross vector boundaries.
  check_conv(make(1, 4, 5, 70, 4, 3, 3, 1, 1, 1, 0, 1, 1), wg, true, true, kPool2, 20);
}

TEST(conv_infer_general) {
  const ConvPath gp = ConvPath::General;
  check_conv(make(2, 3, 9, 9, 4, 3, 3, 1, 1, 1, 1, 1, 1), gp, true, true, kPool2, 21);
  check_conv(make(2, 8, 9, 9, 6, 3, 3, 2, 2, 1, 1, 1, 1), gp, true, true, kNoPool, 22);
  check_conv(make(2, 4, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2), gp, true, true, kPool2, 23);
  check_conv(make(3, 16, 5, 5, 8, 1, 1, 1, 1, 0, 0, 1, 1), gp, false, true, kNoPool, 24);
  check_conv(make(2, 8, 11, 11, 6, 3, 3, 1, 1, 1, 1, 2, 2), gp, true, false, pool(3, 3, 3, 3), 25);
  // More raw output than one chunk of the general path holds (2 chunks of 16 images).
  check_conv(make(20, 2, 32, 32, 16, 1, 1, 1, 1, 0, 0, 1, 1), gp, true, true, kPool2, 26);
}

// y = x·wᵀ + bias, then ReLU, in double.
void check_linear(size_t batch, size_t in, size_t out, bool bias, bool relu, uint64_t seed) {
  Rng rng(seed);
  auto x = rng.vec(batch * in), w = rng.vec(out * in), b = rng.vec(out);
  std::vector<double> want(batch * out), scale(batch * out);
  for (size_t s = 0; s < batch; ++s) {
    for (size_t f = 0; f < out; ++f) {
      double sum = bias ? b[f] : 0.0, abs = bias ? std::fabs(b[f]) : 0.0;
      for (size_t k = 0; k < in; ++k) {
        sum += double(x[s * in + k]) * w[f * in + k];
        abs += std::fabs(double(x[s * in + k]) * w[f * in + k]);
      }
      want[s * out + f] = relu ? std::max(sum, 0.0) : sum;
      scale[s * out + f] = abs;
    }
  }
  const size_t used = batch * out;
  for_each_context([&](const Context& ctx, const std::string& backend) {
    std::vector<float> y(used + kGuard, kSentinel);
    std::fill(y.begin(), y.begin() + used, NAN);
    linear_infer(ctx, LinearTask{x.data(), w.data(), bias ? b.data() : nullptr, y.data(), batch, in, out, relu});
    const std::string where = "linear batch " + std::to_string(batch) + " in " + std::to_string(in) + " out " +
                              std::to_string(out) + (bias ? " bias" : "") + (relu ? " relu" : "") + backend;
    CHECK(worst(y.data(), want, scale, 3e-6) <= 0) << where;
    CHECK(guard_intact(y, used)) << "wrote past the output: " << where;
  });
}

TEST(linear_infer_shapes) {
  // The Fashion MLP's and CNN's layers at batch 1 and 64.
  check_linear(1, 784, 512, true, true, 31);
  check_linear(64, 784, 512, true, true, 32);
  check_linear(64, 3136, 128, true, true, 33);
  check_linear(1, 128, 10, true, false, 34);
  // Batches around the sample block of 4, features around the block of 4,
  // depths around every vector width (1, 8, 16).
  // (From 8 samples the packed kernel runs: 8, 13, 33 and 40 cross its blocks of 16 or 32.)
  const size_t batches[] = {1, 2, 3, 4, 5, 7, 8, 13, 33, 40};
  const size_t depths[] = {1, 3, 7, 8, 15, 16, 17, 31, 33};
  const size_t widths[] = {1, 3, 4, 5, 10, 33};
  uint64_t seed = 40;
  for (size_t b : batches)
    for (size_t k : depths)
      for (size_t o : widths) {
        check_linear(b, k, o, (seed & 1) == 0, (seed & 2) == 0, seed);
        ++seed;
      }
}

TEST(linear_infer_empty) {
  // No samples or no features: nothing written; no inputs: the bias alone.
  check_linear(0, 5, 3, true, true, 90);
  check_linear(4, 5, 0, true, true, 91);
  check_linear(3, 0, 6, true, true, 92);
  check_linear(3, 0, 6, false, false, 93);
}

}  // namespace
