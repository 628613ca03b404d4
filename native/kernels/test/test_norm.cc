// Batch, layer and local response normalization against plain
// double-precision references, on every ISA path with 1 and 2 threads, over
// shapes that hit both batch-norm layouts (columns for planes < 32, spans
// above), one-value channels, empty ones, vector tails and several blocks.
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "norm/batch_norm.h"
#include "norm/layer_norm.h"
#include "norm/local_response_norm.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

// "" when every got[i] is within abs + rel·|want[i]| of want[i], else where and by how much.
std::string mismatch(const std::vector<float>& got, const std::vector<double>& want, double rel, double abs) {
  if (got.size() != want.size()) return "length " + std::to_string(got.size()) + " != " + std::to_string(want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (!near(got[i], want[i], rel, abs)) {
      std::ostringstream s;
      s << "at " << i << ": got " << got[i] << ", want " << want[i];
      return s.str();
    }
  }
  return "";
}

std::string text(const BatchNormShape& s) {
  return std::to_string(s.n) + "x" + std::to_string(s.c) + "x" + std::to_string(s.plane);
}

const BatchNormShape kBatchShapes[] = {
    {1, 1, 1},    {4, 3, 1},   {2, 5, 7},     {3, 2, 31},   {2, 3, 32},    {1, 1, 1000},  {5, 3, 33},
    {7, 17, 19},  {2, 2, 4099}, {64, 37, 1},  {300, 5, 3},  {3, 2, 40000}, {5000, 3, 1}, {2, 1, 70001},
    {1, 4, 49},   {6, 1, 2},   {0, 3, 40},    {2, 0, 40},   {3, 2, 0},
};

size_t index_of(const BatchNormShape& s, size_t i, size_t ch, size_t p) { return (i * s.c + ch) * s.plane + p; }

struct ChannelStats {
  std::vector<double> mean, var;  // biased variance
};

ChannelStats channel_stats(const BatchNormShape& s, const std::vector<float>& x) {
  ChannelStats st{std::vector<double>(s.c, 0.0), std::vector<double>(s.c, 0.0)};
  const double count = static_cast<double>(s.count());
  for (size_t ch = 0; ch < s.c && count > 0; ++ch) {
    for (size_t i = 0; i < s.n; ++i)
      for (size_t p = 0; p < s.plane; ++p) st.mean[ch] += x[index_of(s, i, ch, p)];
    st.mean[ch] /= count;
    for (size_t i = 0; i < s.n; ++i)
      for (size_t p = 0; p < s.plane; ++p) st.var[ch] += std::pow(x[index_of(s, i, ch, p)] - st.mean[ch], 2);
    st.var[ch] /= count;
  }
  return st;
}

// Channels offset far from zero (mean 50 per channel index), so sums taken
// without shifting would lose the variance to cancellation.
std::vector<float> offset_channels(Rng& rng, const BatchNormShape& s) {
  std::vector<float> x = rng.floats(s.n * s.c * s.plane, -2.0, 2.0);
  for (size_t i = 0; i < s.n; ++i)
    for (size_t ch = 0; ch < s.c; ++ch)
      for (size_t p = 0; p < s.plane; ++p) x[index_of(s, i, ch, p)] += 50.0f * static_cast<float>(ch);
  return x;
}

// Runs fn(ctx, backend) for each ISA with 1 and 3 threads, and checks both thread counts give the same bits.
void for_each_isa_and_thread_count(const std::function<std::vector<float>(const Context&)>& fn, const std::string& what) {
  for (Isa isa : supported_isas()) {
    std::vector<float> first;
    for (int threads : {1, 3}) {
      ThreadPool pool(threads);
      Workspace workspace;
      Context ctx;
      ctx.isa = isa, ctx.pool = &pool, ctx.workspace = &workspace;
      std::vector<float> bits = fn(ctx);
      if (threads == 1) first = bits;
      else CHECK(bits == first) << what << " " << isa_name(isa) << ": 3 threads gave other bits than 1";
    }
  }
}

}  // namespace

TEST(batch_norm_training_forward_matches_double) {
  Rng rng(71);
  for (const BatchNormShape& s : kBatchShapes) {
    const std::vector<float> x = offset_channels(rng, s);
    const std::vector<float> weight = rng.floats(s.c, 0.5, 2.0), bias = rng.floats(s.c);
    const std::vector<float> running_mean0 = rng.floats(s.c), running_var0 = rng.floats(s.c, 0.5, 1.5);
    const ChannelStats st = channel_stats(s, x);
    const double eps = 1e-5, momentum = 0.1, count = static_cast<double>(s.count());
    std::vector<double> want_y(x.size()), want_mean(s.c), want_invstd(s.c), want_rm(s.c), want_rv(s.c);
    for (size_t ch = 0; ch < s.c; ++ch) {
      want_mean[ch] = st.mean[ch];
      want_invstd[ch] = 1.0 / std::sqrt(st.var[ch] + eps);
      want_rm[ch] = (1 - momentum) * running_mean0[ch] + momentum * st.mean[ch];
      want_rv[ch] = (1 - momentum) * running_var0[ch] + momentum * st.var[ch] * count / (count - 1);
      for (size_t i = 0; i < s.n; ++i)
        for (size_t p = 0; p < s.plane; ++p) {
          const size_t k = index_of(s, i, ch, p);
          want_y[k] = (x[k] - st.mean[ch]) * want_invstd[ch] * weight[ch] + bias[ch];
        }
    }
    const bool update = s.count() >= 2;
    for_each_isa_and_thread_count(
        [&](const Context& ctx) {
          std::vector<float> y(x.size(), NAN), mean(s.c, NAN), invstd(s.c, NAN), rm = running_mean0, rv = running_var0;
          batch_norm_forward_training(ctx, s, x.data(), weight.data(), bias.data(), eps, y.data(), mean.data(),
                                      invstd.data(), update ? rm.data() : nullptr, update ? rv.data() : nullptr,
                                      momentum);
          const std::string where = std::string(isa_name(ctx.isa)) + " " + text(s);
          CHECK(mismatch(mean, want_mean, 1e-6, 1e-6) == "") << where << " mean " << mismatch(mean, want_mean, 1e-6, 1e-6);
          CHECK(mismatch(invstd, want_invstd, 2e-6, 0) == "") << where << " invstd " << mismatch(invstd, want_invstd, 2e-6, 0);
          CHECK(mismatch(y, want_y, 1e-5, 1e-5) == "") << where << " y " << mismatch(y, want_y, 1e-5, 1e-5);
          if (update) {
            CHECK(mismatch(rm, want_rm, 1e-6, 1e-6) == "") << where << " running mean " << mismatch(rm, want_rm, 1e-6, 1e-6);
            CHECK(mismatch(rv, want_rv, 1e-5, 1e-6) == "") << where << " running var " << mismatch(rv, want_rv, 1e-5, 1e-6);
          }
          std::vector<float> bits = y;
          bits.insert(bits.end(), mean.begin(), mean.end());
          bits.insert(bits.end(), invstd.begin(), invstd.end());
          return bits;
        },
        "batch_norm_forward_training " + text(s));
  }
}

TEST(batch_norm_without_affine_and_inference) {
  Rng rng(72);
  for (const BatchNormShape& s : kBatchShapes) {
    const std::vector<float> x = rng.floats(s.n * s.c * s.plane, -3.0, 3.0);
    const std::vector<float> weight = rng.floats(s.c), bias = rng.floats(s.c);
    const std::vector<float> rm = rng.floats(s.c), rv = rng.floats(s.c, 0.1, 2.0);
    const ChannelStats st = channel_stats(s, x);
    const double eps = 1e-3;
    std::vector<double> want_plain(x.size()), want_inference(x.size());
    for (size_t i = 0; i < s.n; ++i)
      for (size_t ch = 0; ch < s.c; ++ch)
        for (size_t p = 0; p < s.plane; ++p) {
          const size_t k = index_of(s, i, ch, p);
          want_plain[k] = (x[k] - st.mean[ch]) / std::sqrt(st.var[ch] + eps);
          want_inference[k] = (x[k] - rm[ch]) / std::sqrt(rv[ch] + eps) * weight[ch] + bias[ch];
        }
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> y(x.size(), NAN), mean(s.c), invstd(s.c), z(x.size(), NAN);
      batch_norm_forward_training(ctx, s, x.data(), nullptr, nullptr, eps, y.data(), mean.data(), invstd.data(),
                                  nullptr, nullptr, 0.1);
      batch_norm_forward_inference(ctx, s, x.data(), rm.data(), rv.data(), weight.data(), bias.data(), eps, z.data());
      CHECK(mismatch(y, want_plain, 1e-5, 1e-5) == "") << backend << " " << text(s) << " " << mismatch(y, want_plain, 1e-5, 1e-5);
      CHECK(mismatch(z, want_inference, 1e-5, 1e-5) == "") << backend << " " << text(s) << " inference "
                                                            << mismatch(z, want_inference, 1e-5, 1e-5);
    });
  }
}

TEST(batch_norm_backward_matches_double) {
  Rng rng(73);
  for (const BatchNormShape& s : kBatchShapes) {
    const std::vector<float> x = offset_channels(rng, s), gy = rng.floats(s.n * s.c * s.plane);
    const std::vector<float> weight = rng.floats(s.c, 0.5, 2.0);
    const double count = static_cast<double>(s.count());
    for (bool batch_stats : {true, false}) {
      for_each_isa_and_thread_count(
          [&](const Context& ctx) {
            // The statistics backward is given: the forward's own (float) mean and invstd.
            std::vector<float> y(x.size()), mean(s.c), invstd(s.c);
            batch_norm_forward_training(ctx, s, x.data(), nullptr, nullptr, 1e-5, y.data(), mean.data(), invstd.data(),
                                        nullptr, nullptr, 0.1);
            std::vector<double> want_gx(x.size()), want_gw(s.c, 0.0), want_gb(s.c, 0.0);
            for (size_t ch = 0; ch < s.c; ++ch) {
              double sum = 0, dot = 0;
              for (size_t i = 0; i < s.n; ++i)
                for (size_t p = 0; p < s.plane; ++p) {
                  const size_t k = index_of(s, i, ch, p);
                  sum += gy[k], dot += gy[k] * (static_cast<double>(x[k]) - mean[ch]) * invstd[ch];
                }
              want_gw[ch] = dot, want_gb[ch] = sum;
              for (size_t i = 0; i < s.n; ++i)
                for (size_t p = 0; p < s.plane; ++p) {
                  const size_t k = index_of(s, i, ch, p);
                  const double xhat = (static_cast<double>(x[k]) - mean[ch]) * invstd[ch];
                  const double inner = batch_stats ? gy[k] - sum / count - xhat * dot / count : gy[k];
                  want_gx[k] = weight[ch] * invstd[ch] * inner;
                }
            }
            std::vector<float> gx(x.size(), NAN), gw(s.c, NAN), gb(s.c, NAN), only_gx(x.size(), NAN);
            batch_norm_backward(ctx, s, x.data(), gy.data(), mean.data(), invstd.data(), weight.data(), batch_stats,
                                gx.data(), gw.data(), gb.data());
            batch_norm_backward(ctx, s, x.data(), gy.data(), mean.data(), invstd.data(), weight.data(), batch_stats,
                                only_gx.data(), nullptr, nullptr);
            const std::string where = std::string(isa_name(ctx.isa)) + " " + text(s) + (batch_stats ? " batch" : " running");
            // Sums over a channel: error relative to Σ|gy| (about √count here), not to the (small) result.
            const double sum_tol = 1e-6 * std::sqrt(count + 1);
            CHECK(mismatch(gx, want_gx, 1e-4, 1e-5) == "") << where << " gx " << mismatch(gx, want_gx, 1e-4, 1e-5);
            CHECK(mismatch(gw, want_gw, 1e-5, sum_tol) == "") << where << " gw " << mismatch(gw, want_gw, 1e-5, sum_tol);
            CHECK(mismatch(gb, want_gb, 1e-5, sum_tol) == "") << where << " gb " << mismatch(gb, want_gb, 1e-5, sum_tol);
            CHECK(only_gx == gx) << where << ": gx alone differs from gx with the parameter gradients";
            std::vector<float> bits = gx;
            bits.insert(bits.end(), gw.begin(), gw.end());
            bits.insert(bits.end(), gb.begin(), gb.end());
            return bits;
          },
          "batch_norm_backward " + text(s));
    }
  }
}

TEST(batch_norm_of_a_far_offset_channel_keeps_its_variance) {
  // Mean 1e4, spread 1e-2: Σx² − (Σx)²/n in float (or unshifted double over
  // many values) would return noise; the shifted double sums do not.
  const BatchNormShape s{8, 2, 257};
  Rng rng(74);
  std::vector<float> x(s.n * s.c * s.plane);
  for (float& v : x) v = 10000.0f + rng.uniform(-0.01, 0.01);
  const ChannelStats st = channel_stats(s, x);
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    for (size_t plane : {size_t{257}, size_t{1}}) {
      const BatchNormShape t{s.n * (plane == 1 ? s.plane : 1), s.c, plane};
      std::vector<float> y(x.size()), mean(s.c), invstd(s.c);
      batch_norm_forward_training(ctx, t, x.data(), nullptr, nullptr, 0.0, y.data(), mean.data(), invstd.data(),
                                  nullptr, nullptr, 0.1);
      const ChannelStats want = plane == 1 ? channel_stats(t, x) : st;
      for (size_t ch = 0; ch < s.c; ++ch) {
        CHECK(near(invstd[ch], 1.0 / std::sqrt(want.var[ch]), 1e-4)) << backend << " plane " << plane << " invstd "
                                                                      << invstd[ch] << " want "
                                                                      << 1.0 / std::sqrt(want.var[ch]);
      }
    }
  });
}

TEST(layer_norm_forward_and_backward_match_double) {
  struct Dims {
    size_t rows, cols;
  };
  const Dims dims[] = {{0, 5}, {3, 0}, {1, 1}, {4, 7}, {3, 17}, {2, 1000}, {100, 33}, {5, 4099}, {3000, 16}, {9, 8}};
  Rng rng(75);
  for (const Dims& d : dims) {
    std::vector<float> x = rng.floats(d.rows * d.cols, -2.0, 2.0);
    for (size_t r = 0; r < d.rows; ++r)
      for (size_t j = 0; j < d.cols; ++j) x[r * d.cols + j] += 30.0f * static_cast<float>(r % 5);
    const std::vector<float> gy = rng.floats(x.size()), weight = rng.floats(d.cols, 0.5, 2.0), bias = rng.floats(d.cols);
    const double eps = 1e-5, n = static_cast<double>(d.cols);
    for (int affine = 0; affine < 2; ++affine) {
      const float* w = affine ? weight.data() : nullptr;
      const float* b = affine ? bias.data() : nullptr;
      for_each_isa_and_thread_count(
          [&](const Context& ctx) {
            std::vector<float> y(x.size(), NAN), mean(d.rows, NAN), invstd(d.rows, NAN);
            layer_norm_forward(ctx, d.rows, d.cols, x.data(), w, b, eps, y.data(), mean.data(), invstd.data());
            std::vector<float> gx(x.size(), NAN), gw(d.cols, NAN), gb(d.cols, NAN);
            layer_norm_backward(ctx, d.rows, d.cols, x.data(), gy.data(), mean.data(), invstd.data(), w, gx.data(),
                                gw.data(), gb.data());
            std::vector<double> want_y(x.size()), want_gx(x.size()), want_gw(d.cols, 0.0), want_gb(d.cols, 0.0);
            std::vector<double> want_invstd(d.rows);
            for (size_t r = 0; r < d.rows; ++r) {
              const float* row = x.data() + r * d.cols;
              double m = 0, v = 0;
              for (size_t j = 0; j < d.cols; ++j) m += row[j];
              m = d.cols ? m / n : 0;
              for (size_t j = 0; j < d.cols; ++j) v += (row[j] - m) * (row[j] - m);
              v = d.cols ? v / n : 0;
              want_invstd[r] = 1 / std::sqrt(v + eps);
              for (size_t j = 0; j < d.cols; ++j) {
                want_y[r * d.cols + j] = (row[j] - m) * want_invstd[r] * (w ? w[j] : 1.0) + (b ? b[j] : 0.0);
              }
              // The gradients are those of the statistics backward is given: the forward's float mean and invstd.
              auto xhat = [&](size_t j) { return (static_cast<double>(row[j]) - mean[r]) * invstd[r]; };
              double sum_g = 0, dot = 0;
              for (size_t j = 0; j < d.cols; ++j) {
                const double g = gy[r * d.cols + j] * (w ? w[j] : 1.0);
                sum_g += g, dot += g * xhat(j);
                want_gw[j] += gy[r * d.cols + j] * xhat(j);
                want_gb[j] += gy[r * d.cols + j];
              }
              for (size_t j = 0; j < d.cols; ++j) {
                const double g = gy[r * d.cols + j] * (w ? w[j] : 1.0);
                want_gx[r * d.cols + j] = invstd[r] * (g - sum_g / n - xhat(j) * dot / n);
              }
            }
            const std::string where = std::string(isa_name(ctx.isa)) + " " + std::to_string(d.rows) + "x" +
                                      std::to_string(d.cols) + (affine ? " affine" : "");
            const double sum_tol = 1e-6 * std::sqrt(static_cast<double>(d.rows) + 1);
            CHECK(mismatch(invstd, want_invstd, 2e-6, 0) == "") << where << " invstd " << mismatch(invstd, want_invstd, 2e-6, 0);
            CHECK(mismatch(y, want_y, 1e-5, 1e-5) == "") << where << " y " << mismatch(y, want_y, 1e-5, 1e-5);
            CHECK(mismatch(gx, want_gx, 1e-4, 1e-5) == "") << where << " gx " << mismatch(gx, want_gx, 1e-4, 1e-5);
            CHECK(mismatch(gw, want_gw, 1e-5, sum_tol) == "") << where << " gw " << mismatch(gw, want_gw, 1e-5, sum_tol);
            CHECK(mismatch(gb, want_gb, 1e-5, sum_tol) == "") << where << " gb " << mismatch(gb, want_gb, 1e-5, sum_tol);
            std::vector<float> bits = y;
            for (const auto* v : {&gx, &gw, &gb}) bits.insert(bits.end(), v->begin(), v->end());
            return bits;
          },
          "layer_norm " + std::to_string(d.rows) + "x" + std::to_string(d.cols));
    }
  }
}

TEST(local_response_norm_forward_and_backward_match_double) {
  struct Case {
    size_t n, c, plane, size;
  };
  const Case cases[] = {{1, 1, 1, 1}, {2, 3, 5, 2},  {2, 7, 9, 5},   {1, 5, 63, 3},  {3, 4, 64, 4},  {1, 6, 65, 10},
                        {2, 3, 130, 1}, {1, 9, 17, 6}, {0, 3, 4, 3},  {2, 0, 4, 3},   {2, 3, 0, 3},   {4, 16, 200, 5}};
  Rng rng(76);
  // 0.75, 0.5 and 1 have square-root and division paths of their own; 0.6 is the general power.
  const float betas[] = {0.75f, 0.6f, 0.5f, 1.0f};
  size_t which = 0;
  for (const Case& t : cases) {
    const LrnParams p{t.size, 0.7f, betas[which++ % 4], 1.5f};
    const std::vector<float> x = rng.floats(t.n * t.c * t.plane, -2.0, 2.0), gy = rng.floats(x.size());
    const size_t before = t.size / 2, after = (t.size - 1) / 2;
    auto at = [&](size_t i, size_t ch, size_t q) { return (i * t.c + ch) * t.plane + q; };
    std::vector<double> d(x.size()), want_y(x.size()), want_gx(x.size());
    for (size_t i = 0; i < t.n; ++i)
      for (size_t ch = 0; ch < t.c; ++ch)
        for (size_t q = 0; q < t.plane; ++q) {
          double sum = 0;
          for (size_t o = ch >= before ? ch - before : 0; o <= ch + after && o < t.c; ++o) sum += std::pow(x[at(i, o, q)], 2);
          d[at(i, ch, q)] = p.k + p.alpha / static_cast<double>(t.size) * sum;
          want_y[at(i, ch, q)] = x[at(i, ch, q)] * std::pow(d[at(i, ch, q)], -static_cast<double>(p.beta));
        }
    for (size_t i = 0; i < t.n; ++i)
      for (size_t j = 0; j < t.c; ++j)
        for (size_t q = 0; q < t.plane; ++q) {
          // Channels whose window holds j: j − after … j + before.
          double through = 0;
          for (size_t o = j >= after ? j - after : 0; o <= j + before && o < t.c; ++o) {
            through += gy[at(i, o, q)] * x[at(i, o, q)] * std::pow(d[at(i, o, q)], -static_cast<double>(p.beta) - 1);
          }
          const size_t k = at(i, j, q);
          want_gx[k] = gy[k] * std::pow(d[k], -static_cast<double>(p.beta)) -
                       2.0 * p.alpha * p.beta / static_cast<double>(t.size) * x[k] * through;
        }
    for_each_isa_and_thread_count(
        [&](const Context& ctx) {
          std::vector<float> y(x.size(), NAN), multiplier(x.size(), NAN), gx(x.size(), NAN);
          local_response_norm_forward(ctx, t.n, t.c, t.plane, p, x.data(), y.data(), multiplier.data());
          local_response_norm_backward(ctx, t.n, t.c, t.plane, p, x.data(), gy.data(), multiplier.data(), gx.data());
          const std::string where = std::string(isa_name(ctx.isa)) + " " + std::to_string(t.n) + "x" + std::to_string(t.c) +
                                    "x" + std::to_string(t.plane) + " size " + std::to_string(t.size) + " beta " + std::to_string(p.beta);
          CHECK(mismatch(y, want_y, 1e-5, 1e-6) == "") << where << " y " << mismatch(y, want_y, 1e-5, 1e-6);
          CHECK(mismatch(gx, want_gx, 1e-5, 1e-5) == "") << where << " gx " << mismatch(gx, want_gx, 1e-5, 1e-5);
          std::vector<float> bits = y;
          bits.insert(bits.end(), gx.begin(), gx.end());
          return bits;
        },
        "local_response_norm");
  }
}
