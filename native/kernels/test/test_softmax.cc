// Softmax, log-softmax, their backward passes and the fused cross-entropy
// against double-precision references.
#include <cmath>
#include <limits>
#include <vector>

#include "softmax/softmax.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

struct Dims {
  size_t rows, cols;
};
const Dims kDims[] = {{0, 5}, {3, 0}, {1, 1}, {3, 7}, {7, 17}, {4, 1000}, {2, 4099}, {64, 1000}, {1024, 10}, {5, 8}, {9, 33}};

// log Σ exp(x) of one row, in double.
double log_sum_exp(const float* x, size_t n) {
  double m = -INFINITY;
  for (size_t i = 0; i < n; ++i) m = std::max(m, static_cast<double>(x[i]));
  double s = 0.0;
  for (size_t i = 0; i < n; ++i) s += std::exp(x[i] - m);
  return m + std::log(s);
}

}  // namespace

TEST(softmax_and_log_softmax_forward) {
  Rng rng(41);
  for (const Dims& d : kDims) {
    std::vector<float> x = rng.floats(d.rows * d.cols, -8.0, 8.0);
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> y(x.size()), ly(x.size()), in_place = x;
      softmax_forward(ctx, x.data(), d.rows, d.cols, y.data());
      log_softmax_forward(ctx, x.data(), d.rows, d.cols, ly.data());
      softmax_forward(ctx, in_place.data(), d.rows, d.cols, in_place.data());
      int bad = 0;
      for (size_t r = 0; r < d.rows && bad < 3; ++r) {
        double lse = log_sum_exp(x.data() + r * d.cols, d.cols);
        for (size_t c = 0; c < d.cols; ++c) {
          size_t k = r * d.cols + c;
          double want_log = x[k] - lse, want = std::exp(want_log);
          if (!near(y[k], want, 2e-6, 1e-12) || !near(ly[k], want_log, 1e-6, 2e-6) || in_place[k] != y[k]) {
            ++bad;
            CHECK(false) << backend << " " << d.rows << "x" << d.cols << " at " << r << "," << c << " softmax " << y[k]
                         << " want " << want << " log " << ly[k] << " want " << want_log;
            break;
          }
        }
      }
    });
  }
}

TEST(softmax_backward_passes) {
  Rng rng(42);
  for (const Dims& d : kDims) {
    std::vector<float> x = rng.floats(d.rows * d.cols, -4.0, 4.0), gy = rng.floats(d.rows * d.cols);
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> y(x.size()), ly(x.size()), gx(x.size()), lgx(x.size());
      softmax_forward(ctx, x.data(), d.rows, d.cols, y.data());
      log_softmax_forward(ctx, x.data(), d.rows, d.cols, ly.data());
      softmax_backward(ctx, y.data(), gy.data(), d.rows, d.cols, gx.data());
      log_softmax_backward(ctx, ly.data(), gy.data(), d.rows, d.cols, lgx.data());
      int bad = 0;
      for (size_t r = 0; r < d.rows && bad < 3; ++r) {
        double dot = 0.0, sum = 0.0, scale = 0.0;
        for (size_t c = 0; c < d.cols; ++c) {
          dot += static_cast<double>(gy[r * d.cols + c]) * y[r * d.cols + c];
          sum += gy[r * d.cols + c];
          scale += std::fabs(gy[r * d.cols + c]);
        }
        for (size_t c = 0; c < d.cols; ++c) {
          size_t k = r * d.cols + c;
          double want = y[k] * (gy[k] - dot), want_log = gy[k] - std::exp(static_cast<double>(ly[k])) * sum;
          // Float sums over the row: error ~ eps·Σ|gy|.
          double tol = 1e-6 * scale + 1e-6;
          if (!(std::fabs(gx[k] - want) <= tol * y[k] + 1e-7) || !(std::fabs(lgx[k] - want_log) <= tol)) {
            ++bad;
            CHECK(false) << backend << " " << d.rows << "x" << d.cols << " at " << r << "," << c << " gx " << gx[k]
                         << " want " << want << " log gx " << lgx[k] << " want " << want_log;
            break;
          }
        }
      }
    });
  }
}

TEST(softmax_cross_entropy_loss_and_gradient) {
  Rng rng(43);
  for (const Dims& d : kDims) {
    if (d.cols == 0) continue;
    std::vector<float> x = rng.floats(d.rows * d.cols, -6.0, 6.0);
    std::vector<int32_t> labels(d.rows);
    for (auto& l : labels) l = rng.integer(0, static_cast<int>(d.cols));
    double want_loss = 0.0;
    for (size_t r = 0; r < d.rows; ++r) want_loss += log_sum_exp(x.data() + r * d.cols, d.cols) - x[r * d.cols + labels[r]];
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> grad(x.size(), 5.0f);
      double loss = softmax_cross_entropy(ctx, x.data(), labels.data(), d.rows, d.cols, grad.data());
      CHECK(near(loss, want_loss, 1e-6, 1e-6)) << backend << " " << d.rows << "x" << d.cols << " loss " << loss
                                               << " want " << want_loss;
      int bad = 0;
      for (size_t r = 0; r < d.rows && bad < 3; ++r) {
        double lse = log_sum_exp(x.data() + r * d.cols, d.cols);
        for (size_t c = 0; c < d.cols; ++c) {
          size_t k = r * d.cols + c;
          double want = std::exp(x[k] - lse) - (static_cast<int32_t>(c) == labels[r] ? 1.0 : 0.0);
          if (!near(grad[k], want, 2e-6, 1e-7)) {
            ++bad;
            CHECK(false) << backend << " grad at " << r << "," << c << " got " << grad[k] << " want " << want;
            break;
          }
        }
      }
      // In place: the gradient overwrites the logits.
      std::vector<float> inout = x;
      double loss2 = softmax_cross_entropy(ctx, inout.data(), labels.data(), d.rows, d.cols, inout.data());
      CHECK(loss2 == loss && inout == grad) << backend << " in place";
    });
  }
}

TEST(softmax_huge_logits_do_not_overflow) {
  std::vector<float> x = {1e4f, -1e4f, 3e4f, 0.0f, 88.0f, 89.0f, -3e38f, 3e38f, 1.0f};
  std::vector<int32_t> labels = {0};
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    std::vector<float> y(x.size()), ly(x.size()), grad(x.size());
    softmax_forward(ctx, x.data(), 1, x.size(), y.data());
    log_softmax_forward(ctx, x.data(), 1, x.size(), ly.data());
    double loss = softmax_cross_entropy(ctx, x.data(), labels.data(), 1, x.size(), grad.data());
    CHECK(y[7] == 1.0f && y[0] == 0.0f) << backend << " " << y[7];
    CHECK(ly[7] == 0.0f && std::isfinite(ly[0])) << backend;
    CHECK(std::isfinite(loss) && near(loss, 3e38 - 1e4, 1e-6)) << backend << " loss " << loss;
    for (float g : grad) CHECK(std::isfinite(g)) << backend;
  });
}

TEST(first_bad_label_finds_the_row) {
  std::vector<int32_t> labels = {0, 3, 9, 10, -1};
  CHECK(first_bad_label(labels.data(), 3, 10) == 3);
  CHECK(first_bad_label(labels.data(), 5, 10) == 3);
  CHECK(first_bad_label(labels.data(), 5, 11) == 4);
  CHECK(first_bad_label(labels.data(), 2, 4) == 2);
}
