// Binary (broadcasting), scalar and plain unary ops against double-precision
// references, on every ISA path and 1 and 2 threads.
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "elementwise/binary.h"
#include "elementwise/scalar_ops.h"
#include "elementwise/unary.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

double reference_binary(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Mul: return a * b;
    case BinaryOp::Div: return a / b;
    case BinaryOp::Pow: return std::pow(a, b);
    case BinaryOp::Maximum: return std::isnan(a) || std::isnan(b) ? NAN : (a > b ? a : b);
    case BinaryOp::Minimum: return std::isnan(a) || std::isnan(b) ? NAN : (a < b ? a : b);
  }
  return NAN;
}

// One broadcast case: output shape and each input's strides over it.
struct BroadcastCase {
  std::vector<int64_t> shape, a_strides, b_strides;
  size_t a_size, b_size;  // elements each input's storage holds
};

// Contiguous strides of `in_shape` right-aligned against `out_shape`, 0 where broadcast.
std::vector<int64_t> broadcast_strides(const std::vector<int64_t>& in_shape, const std::vector<int64_t>& out_shape) {
  std::vector<int64_t> strides(out_shape.size(), 0);
  int64_t step = 1;
  for (size_t k = 0; k < in_shape.size(); ++k) {
    size_t in_d = in_shape.size() - 1 - k, out_d = out_shape.size() - 1 - k;
    strides[out_d] = in_shape[in_d] == 1 ? 0 : step;
    step *= in_shape[in_d];
  }
  return strides;
}

size_t count(const std::vector<int64_t>& shape) {
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  return n;
}

BroadcastCase make_case(std::vector<int64_t> out, std::vector<int64_t> a, std::vector<int64_t> b) {
  return {out, broadcast_strides(a, out), broadcast_strides(b, out), count(a), count(b)};
}

std::vector<BroadcastCase> broadcast_cases() {
  std::vector<BroadcastCase> cases;
  for (size_t n : awkward_sizes()) {
    int64_t d = static_cast<int64_t>(n);
    cases.push_back(make_case({d}, {d}, {d}));
  }
  cases.push_back(make_case({}, {}, {}));                               // rank 0
  cases.push_back(make_case({5, 7}, {5, 7}, {7}));                      // row broadcast
  cases.push_back(make_case({5, 7}, {5, 7}, {5, 1}));                   // column broadcast
  cases.push_back(make_case({17}, {1}, {17}));                          // scalar on the left
  cases.push_back(make_case({4099}, {4099}, {1}));                      // scalar on the right
  cases.push_back(make_case({2, 3, 4, 5}, {2, 3, 4, 5}, {1, 3, 1, 1})); // per-channel bias
  cases.push_back(make_case({3, 5, 4}, {3, 1, 4}, {1, 5, 4}));          // both broadcast
  cases.push_back(make_case({300, 257}, {300, 257}, {257}));            // threaded, rows split mid-way
  cases.push_back(make_case({3, 0, 4}, {3, 0, 4}, {4}));                // empty
  cases.push_back(make_case({2, 1, 2, 3, 1, 2, 2, 3}, {2, 1, 2, 1, 1, 2, 1, 3}, {1, 1, 2, 3, 1, 1, 2, 3}));  // rank 8
  // a read transposed: a is stored as [5, 4], used as [4, 5].
  cases.push_back({{4, 5}, {1, 4}, {5, 1}, 20, 20});
  // a read transposed and large enough to be threaded.
  cases.push_back({{190, 181}, {1, 190}, {181, 1}, 190 * 181, 190 * 181});
  return cases;
}

}  // namespace

TEST(op_lists_give_unique_names) {
  auto unique = [](const char* const* names, int n) {
    std::set<std::string> seen;
    for (int i = 0; i < n; ++i) {
      if (names[i] == nullptr || names[i][0] == '\0' || !seen.insert(names[i]).second) return false;
    }
    return true;
  };
  CHECK(unique(kBinaryOpNames, kBinaryOpCount));
  CHECK(unique(kScalarOpNames, kScalarOpCount));
  CHECK(unique(kUnaryOpNames, kUnaryOpCount));
  CHECK(std::string(kUnaryOpNames[static_cast<int>(UnaryOp::LeakyRelu)]) == "leakyRelu");
  CHECK(is_activation(UnaryOp::Gelu) && !is_activation(UnaryOp::Exp));
}

TEST(binary_op_matches_reference_on_broadcast_shapes) {
  Rng rng(11);
  for (const BroadcastCase& c : broadcast_cases()) {
    std::vector<float> a = rng.floats(c.a_size, 0.1, 3.0), b = rng.floats(c.b_size, -2.0, 2.0);
    size_t total = count(c.shape);
    int rank = static_cast<int>(c.shape.size());
    for (int code = 0; code < kBinaryOpCount; ++code) {  // every op of the list (no reference: NaN, a failure)
      const BinaryOp op = static_cast<BinaryOp>(code);
      // Reference by plain index arithmetic.
      std::vector<double> want(total);
      for (size_t i = 0; i < total; ++i) {
        size_t rest = i;
        int64_t oa = 0, ob = 0;
        for (int d = rank - 1; d >= 0; --d) {
          int64_t idx = static_cast<int64_t>(rest % c.shape[d]);
          rest /= c.shape[d];
          oa += idx * c.a_strides[d];
          ob += idx * c.b_strides[d];
        }
        want[i] = static_cast<float>(reference_binary(op, a[oa], b[ob]));
      }
      for_each_backend([&](const Context& ctx, const std::string& backend) {
        std::vector<float> out(total, -7.0f);
        binary_op(ctx, op, a.data(), c.a_strides.data(), b.data(), c.b_strides.data(), out.data(), c.shape.data(),
                  rank);
        // Exact ops must be exact; pow is libm's float pow.
        double rel = op == BinaryOp::Pow ? 3e-7 : 0.0;
        int bad = 0;
        for (size_t i = 0; i < total && bad < 3; ++i) {
          if (!near(out[i], want[i], rel)) {
            ++bad;
            CHECK(false) << backend << " op " << static_cast<int>(op) << " rank " << rank << " total " << total
                         << " i " << i << " got " << out[i] << " want " << want[i];
          }
        }
      });
    }
  }
}

TEST(maximum_and_minimum_propagate_nan) {
  std::vector<float> a = {kNaN, 1.0f, 2.0f, kNaN, -kInf, 3.0f, 0.0f, 5.0f, kNaN};
  std::vector<float> b = {1.0f, kNaN, 1.0f, kNaN, 0.0f, kInf, -1.0f, kNaN, 2.0f};
  int64_t shape[] = {9}, stride[] = {1};
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    for (BinaryOp op : {BinaryOp::Maximum, BinaryOp::Minimum}) {
      std::vector<float> out(9);
      binary_op(ctx, op, a.data(), stride, b.data(), stride, out.data(), shape, 1);
      for (size_t i = 0; i < 9; ++i) {
        CHECK(near(out[i], reference_binary(op, a[i], b[i]), 0.0)) << backend << " i " << i << " got " << out[i];
      }
    }
  });
}

TEST(scalar_ops_match_reference) {
  Rng rng(12);
  // Exponents with fast paths and general ones.
  const float scalars[] = {2.5f, -1.5f, 0.0f, 1.0f, -1.0f, 2.0f, 0.5f, 3.0f};
  for (size_t n : awkward_sizes()) {
    std::vector<float> x = rng.floats(n, -3.0, 3.0);
    if (n >= 7) x[0] = 0.0f, x[1] = -0.0f, x[2] = kInf, x[3] = -kInf, x[4] = kNaN, x[5] = -2.0f;
    for (int code = 0; code < kScalarOpCount; ++code) {
      const ScalarOp op = static_cast<ScalarOp>(code);
      for (float s : scalars) {
        for_each_backend([&](const Context& ctx, const std::string& backend) {
          std::vector<float> out(n);
          scalar_op(ctx, op, x.data(), s, out.data(), n);
          int bad = 0;
          for (size_t i = 0; i < n && bad < 3; ++i) {
            double v = x[i], want = NAN;  // an op without a reference fails
            switch (op) {
              case ScalarOp::Add: want = v + s; break;
              case ScalarOp::Mul: want = v * s; break;
              case ScalarOp::Pow: want = std::pow(v, static_cast<double>(s)); break;
              case ScalarOp::RSub: want = s - v; break;
              case ScalarOp::RDiv: want = s / v; break;
              case ScalarOp::Maximum: want = reference_binary(BinaryOp::Maximum, v, s); break;
              case ScalarOp::Minimum: want = reference_binary(BinaryOp::Minimum, v, s); break;
            }
            want = static_cast<float>(want);
            if (!near(out[i], want, op == ScalarOp::Pow ? 3e-7 : 0.0)) {
              ++bad;
              CHECK(false) << backend << " op " << static_cast<int>(op) << " s " << s << " x " << x[i] << " got "
                           << out[i] << " want " << want;
            }
          }
        });
      }
    }
  }
}

TEST(clamp_fill_axpy) {
  Rng rng(13);
  for (size_t n : awkward_sizes()) {
    std::vector<float> x = rng.floats(n, -2.0, 2.0), y0 = rng.floats(n, -1.0, 1.0);
    if (n >= 3) x[0] = kNaN, x[1] = kInf, x[2] = -kInf;
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> out(n), filled(n, 1.0f), y = y0;
      clamp(ctx, x.data(), -0.5f, 0.75f, out.data(), n);
      for (size_t i = 0; i < n; ++i) {
        double want = std::isnan(x[i]) ? NAN : std::min(std::max<double>(x[i], -0.5), 0.75);
        CHECK(near(out[i], want, 0.0)) << backend << " clamp i " << i;
      }
      clamp(ctx, x.data(), 1.0f, -1.0f, out.data(), n);  // lo > hi gives hi
      for (size_t i = 0; i < n; ++i) CHECK(std::isnan(x[i]) ? std::isnan(out[i]) : out[i] == -1.0f) << backend;
      fill(ctx, filled.data(), n, -3.25f);
      for (size_t i = 0; i < n; ++i) CHECK(filled[i] == -3.25f) << backend << " fill i " << i;
      std::vector<float> xs = rng.floats(n);
      axpy(ctx, 0.3f, xs.data(), y.data(), n);
      for (size_t i = 0; i < n; ++i) {
        CHECK(near(y[i], y0[i] + 0.3 * xs[i], 1e-6, 1e-7)) << backend << " axpy i " << i;
      }
    });
  }
}

TEST(plain_unary_ops_forward_and_backward) {
  struct Case {
    UnaryOp op;
    double lo, hi, rel;
    double (*f)(double);
    double (*df)(double);
  };
  const Case cases[] = {
      {UnaryOp::Neg, -5, 5, 0, [](double x) { return -x; }, [](double) { return -1.0; }},
      {UnaryOp::Abs, -5, 5, 0, [](double x) { return std::fabs(x); }, [](double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }},
      {UnaryOp::Exp, -20, 20, 1e-6, [](double x) { return std::exp(x); }, [](double x) { return std::exp(x); }},
      {UnaryOp::Log, 1e-3, 50, 1e-6, [](double x) { return std::log(x); }, [](double x) { return 1 / x; }},
      {UnaryOp::Sqrt, 1e-3, 50, 0, [](double x) { return std::sqrt(x); }, [](double x) { return 0.5 / std::sqrt(x); }},
      {UnaryOp::Sign, -5, 5, 0, [](double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }, [](double) { return 0.0; }},
      {UnaryOp::Square, -5, 5, 0, [](double x) { return x * x; }, [](double x) { return 2 * x; }},
      {UnaryOp::Reciprocal, 0.1, 5, 0, [](double x) { return 1 / x; }, [](double x) { return -1 / (x * x); }},
  };
  // Every Math op of ops.h has a case here.
  for (int code = 0; code < kUnaryOpCount; ++code) {
    const UnaryOp op = static_cast<UnaryOp>(code);
    bool covered = is_activation(op);  // test_activation.cc covers those
    for (const Case& c : cases) covered = covered || c.op == op;
    CHECK(covered) << "unary op " << kUnaryOpNames[code] << " has no reference case";
  }
  Rng rng(14);
  for (const Case& c : cases) {
    for (size_t n : awkward_sizes()) {
      std::vector<float> x = rng.floats(n, c.lo, c.hi), gy = rng.floats(n, -1, 1);
      if (n > 0 && c.lo < 0) x[0] = 0.0f;
      for_each_backend([&](const Context& ctx, const std::string& backend) {
        std::vector<float> y(n), gx(n);
        unary_op(ctx, c.op, x.data(), y.data(), n, 0.0f);
        unary_backward(ctx, c.op, x.data(), y.data(), gy.data(), gx.data(), n, 0.0f);
        int bad = 0;
        for (size_t i = 0; i < n && bad < 3; ++i) {
          double want = static_cast<float>(c.f(x[i]));
          double want_g = gy[i] * c.df(x[i]);
          bool ok = near(y[i], want, c.rel) && near(gx[i], want_g, 2e-6, 1e-30);
          if (!ok) {
            ++bad;
            CHECK(false) << backend << " op " << static_cast<int>(c.op) << " x " << x[i] << " y " << y[i] << " want "
                         << want << " gx " << gx[i] << " want " << want_g;
          }
        }
      });
    }
  }
}

TEST(log_special_values_and_in_place) {
  std::vector<float> x = {0.0f, -0.0f, -1.0f, kInf, -kInf, kNaN, 1.0f, 1e-45f, 3.4e38f};
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    std::vector<float> y = x;
    unary_op(ctx, UnaryOp::Log, y.data(), y.data(), y.size(), 0.0f);  // in place
    CHECK(y[0] == -kInf && y[1] == -kInf) << backend;
    CHECK(std::isnan(y[2]) && std::isnan(y[4]) && std::isnan(y[5])) << backend;
    CHECK(y[3] == kInf && y[6] == 0.0f) << backend;
    CHECK(near(y[7], std::log(static_cast<double>(x[7])), 1e-6)) << backend << " denormal " << y[7];
    CHECK(near(y[8], std::log(static_cast<double>(x[8])), 1e-6)) << backend;
  });
}
