// Vectorised exp/log/tanh accuracy, activation forward passes against double
// references, and every activation's backward against finite differences of
// that reference, on every ISA path.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include "elementwise/unary.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

const float kInf = std::numeric_limits<float>::infinity();

// Largest relative error of op over xs against want(x) in double.
double max_relative_error(const Context& ctx, UnaryOp op, const std::vector<float>& xs, double (*want)(double),
                          float* worst_x) {
  std::vector<float> y(xs.size());
  unary_op(ctx, op, xs.data(), y.data(), xs.size(), 0.0f);
  double worst = 0.0;
  for (size_t i = 0; i < xs.size(); ++i) {
    double w = want(xs[i]);
    double err = w == 0.0 ? std::fabs(y[i]) : std::fabs((y[i] - w) / w);
    if (!(err <= worst)) worst = err, *worst_x = xs[i];  // NaN counts as worst
  }
  return worst;
}

// Evenly spaced points over [lo, hi] plus seeded random ones.
std::vector<float> sweep(double lo, double hi, size_t n, uint64_t seed) {
  std::vector<float> xs;
  for (size_t i = 0; i <= n; ++i) xs.push_back(static_cast<float>(lo + (hi - lo) * static_cast<double>(i) / n));
  Rng rng(seed);
  for (size_t i = 0; i < n; ++i) xs.push_back(rng.uniform(lo, hi));
  return xs;
}

double ref_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double ref_softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }
double ref_gelu(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }

struct Activation {
  UnaryOp op;
  float param;
  double (*f)(double x, double p);
  bool kink_at_zero;
};

const Activation kActivations[] = {
    {UnaryOp::Relu, 0.0f, [](double x, double) { return x > 0 ? x : 0.0; }, true},
    {UnaryOp::Sigmoid, 0.0f, [](double x, double) { return ref_sigmoid(x); }, false},
    {UnaryOp::Tanh, 0.0f, [](double x, double) { return std::tanh(x); }, false},
    {UnaryOp::LeakyRelu, 0.01f, [](double x, double p) { return x > 0 ? x : p * x; }, true},
    {UnaryOp::LeakyRelu, 0.2f, [](double x, double p) { return x > 0 ? x : p * x; }, true},
    {UnaryOp::Elu, 1.0f, [](double x, double p) { return x > 0 ? x : p * std::expm1(x); }, true},
    {UnaryOp::Elu, 0.5f, [](double x, double p) { return x > 0 ? x : p * std::expm1(x); }, true},
    {UnaryOp::Gelu, 0.0f, [](double x, double) { return ref_gelu(x); }, false},
    {UnaryOp::Silu, 0.0f, [](double x, double) { return x * ref_sigmoid(x); }, false},
    {UnaryOp::Softplus, 0.0f, [](double x, double) { return ref_softplus(x); }, false},
};

}  // namespace

TEST(every_activation_has_a_reference) {
  for (int code = 0; code < kUnaryOpCount; ++code) {
    const UnaryOp op = static_cast<UnaryOp>(code);
    bool covered = !is_activation(op);  // test_elementwise.cc covers the plain math ops
    for (const Activation& a : kActivations) covered = covered || a.op == op;
    CHECK(covered) << "activation " << kUnaryOpNames[code] << " has no reference in kActivations";
  }
}

TEST(vector_exp_log_tanh_relative_error_below_1e6) {
  const std::vector<float> wide = sweep(-88.0, 88.0, 1 << 20, 21);
  const std::vector<float> near_zero = sweep(-1.0, 1.0, 1 << 18, 22);
  std::vector<float> positive = sweep(0.0, 88.0, 1 << 20, 23);
  // Every binade of positive floats, denormals included.
  for (int e = -149; e < 128; ++e) {
    for (int k = 0; k < 64; ++k) positive.push_back(std::ldexp(1.0f + k / 64.0f, e));
  }
  positive.erase(std::remove_if(positive.begin(), positive.end(), [](float v) { return !(v > 0 && v < kInf); }),
                 positive.end());
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    float wx = 0;
    double e_exp = max_relative_error(ctx, UnaryOp::Exp, wide, [](double x) { return std::exp(x); }, &wx);
    CHECK(e_exp <= 1e-6) << backend << " exp error " << e_exp << " at " << wx;
    double e_log = max_relative_error(ctx, UnaryOp::Log, positive, [](double x) { return std::log(x); }, &wx);
    CHECK(e_log <= 1e-6) << backend << " log error " << e_log << " at " << wx;
    double e_tanh = max_relative_error(ctx, UnaryOp::Tanh, wide, [](double x) { return std::tanh(x); }, &wx);
    double e_tanh0 = max_relative_error(ctx, UnaryOp::Tanh, near_zero, [](double x) { return std::tanh(x); }, &wx);
    CHECK(e_tanh <= 1e-6 && e_tanh0 <= 1e-6) << backend << " tanh error " << e_tanh << " / " << e_tanh0 << " at " << wx;
    if (ctx.threads() == 1) {
      std::printf("  %s max relative error: exp %.2e  log %.2e  tanh %.2e\n", backend.c_str(), e_exp, e_log,
                  std::max(e_tanh, e_tanh0));
    }
  });
}

TEST(activation_forward_matches_double_reference) {
  Rng rng(24);
  for (const Activation& a : kActivations) {
    for (size_t n : awkward_sizes()) {
      std::vector<float> x = rng.floats(n, -12.0, 12.0);
      for_each_backend([&](const Context& ctx, const std::string& backend) {
        std::vector<float> y(n);
        unary_op(ctx, a.op, x.data(), y.data(), n, a.param);
        int bad = 0;
        for (size_t i = 0; i < n && bad < 3; ++i) {
          double want = a.f(x[i], a.param);
          if (!near(y[i], want, 2e-6, 1e-7)) {
            ++bad;
            CHECK(false) << backend << " op " << static_cast<int>(a.op) << " x " << x[i] << " got " << y[i]
                         << " want " << want;
          }
        }
      });
    }
  }
}

TEST(activation_backward_matches_finite_differences) {
  Rng rng(25);
  for (const Activation& a : kActivations) {
    for (size_t n : {size_t{1}, size_t{17}, size_t{4099}, size_t{70001}}) {
      std::vector<float> x = rng.floats(n, -8.0, 8.0), gy = rng.floats(n, -2.0, 2.0);
      if (a.kink_at_zero) {
        for (float& v : x) v = std::fabs(v) < 1e-3f ? 0.5f : v;
      }
      std::vector<double> want(n);
      for (size_t i = 0; i < n; ++i) {
        double h = 1e-5 * std::max(1.0, std::fabs(static_cast<double>(x[i])));
        double slope = (a.f(x[i] + h, a.param) - a.f(x[i] - h, a.param)) / (2 * h);
        want[i] = gy[i] * slope;
      }
      for_each_backend([&](const Context& ctx, const std::string& backend) {
        std::vector<float> y(n), gx(n);
        unary_op(ctx, a.op, x.data(), y.data(), n, a.param);
        unary_backward(ctx, a.op, x.data(), y.data(), gy.data(), gx.data(), n, a.param);
        int bad = 0;
        for (size_t i = 0; i < n && bad < 3; ++i) {
          // Derivatives written through y (sigmoid, tanh) lose absolute accuracy ~1e-7 near saturation.
          if (!near(gx[i], want[i], 1e-5, 1e-6)) {
            ++bad;
            CHECK(false) << backend << " op " << static_cast<int>(a.op) << " x " << x[i] << " gx " << gx[i]
                         << " want " << want[i];
          }
        }
      });
    }
  }
}

TEST(saturating_activations_never_give_nan) {
  const std::vector<float> x = {1e30f, -1e30f, 1e4f, -1e4f, 100.0f, -100.0f, 88.8f, -88.8f, kInf, -kInf, 0.0f};
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    for (UnaryOp op : {UnaryOp::Sigmoid, UnaryOp::Tanh, UnaryOp::Softplus, UnaryOp::Exp}) {
      std::vector<float> y(x.size()), gy(x.size(), 1.0f), gx(x.size());
      unary_op(ctx, op, x.data(), y.data(), x.size(), 0.0f);
      unary_backward(ctx, op, x.data(), y.data(), gy.data(), gx.data(), x.size(), 0.0f);
      for (size_t i = 0; i < x.size(); ++i) {
        CHECK(!std::isnan(y[i])) << backend << " op " << static_cast<int>(op) << " x " << x[i];
        if (op != UnaryOp::Exp) {
          CHECK(!std::isnan(gx[i])) << backend << " backward op " << static_cast<int>(op) << " x " << x[i];
        }
      }
    }
    std::vector<float> y(x.size());
    unary_op(ctx, UnaryOp::Sigmoid, x.data(), y.data(), x.size(), 0.0f);
    CHECK(y[0] == 1.0f && y[1] == 0.0f && y[8] == 1.0f && y[9] == 0.0f && y[10] == 0.5f) << backend;
    unary_op(ctx, UnaryOp::Tanh, x.data(), y.data(), x.size(), 0.0f);
    CHECK(y[0] == 1.0f && y[1] == -1.0f && y[8] == 1.0f && y[9] == -1.0f && y[10] == 0.0f) << backend;
    unary_op(ctx, UnaryOp::Softplus, x.data(), y.data(), x.size(), 0.0f);
    CHECK(y[0] == 1e30f && y[1] == 0.0f && y[8] == kInf && y[9] == 0.0f) << backend;
    CHECK(near(y[10], std::log(2.0), 1e-7)) << backend;
    unary_op(ctx, UnaryOp::Exp, x.data(), y.data(), x.size(), 0.0f);
    CHECK(y[0] == kInf && y[1] == 0.0f && y[8] == kInf && y[9] == 0.0f && y[10] == 1.0f) << backend;
    unary_op(ctx, UnaryOp::Gelu, x.data(), y.data(), 8, 0.0f);  // finite inputs only
    for (size_t i = 0; i < 8; ++i) CHECK(!std::isnan(y[i])) << backend << " gelu x " << x[i];
  });
}

TEST(activations_propagate_nan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x(9, nan);
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    for (const Activation& a : kActivations) {
      std::vector<float> y(x.size());
      unary_op(ctx, a.op, x.data(), y.data(), x.size(), a.param);
      for (float v : y) CHECK(std::isnan(v)) << backend << " op " << static_cast<int>(a.op);
    }
  });
}
