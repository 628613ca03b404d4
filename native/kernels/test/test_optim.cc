// Optimizer updates against the textbook formulas evaluated in double, over
// several steps and every option, plus hand-computed values; regularizer and
// max-norm projection.
#include <cmath>
#include <vector>

#include "optim/optim.h"
#include "test_elementwise_support.h"
#include "test_harness.h"

using namespace dendrite;
using namespace dendrite_test;

namespace {

// Empty, single, every remainder of the 4- and 8-lane vectors, and large enough
// for two threads to split mid-vector.
const size_t kSizes[] = {0, 1, 2, 3, 7, 17, 1002, 40001};
constexpr int kSteps = 5;

// Gradients for each step, shared by the kernel run and the reference.
std::vector<std::vector<float>> gradients(size_t n, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::vector<float>> g;
  for (int s = 0; s < kSteps; ++s) g.push_back(rng.floats(n, -1.0, 1.0));
  return g;
}

// Compares float state with its double reference; reports the first few misses.
void expect_near(const std::vector<float>& got, const std::vector<double>& want, const std::string& what, double rel,
                 double abs) {
  int bad = 0;
  for (size_t i = 0; i < got.size() && bad < 3; ++i) {
    if (!near(got[i], want[i], rel, abs)) {
      ++bad;
      CHECK(false) << what << " i " << i << " got " << got[i] << " want " << want[i];
    }
  }
}

std::vector<double> widen(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

}  // namespace

TEST(sgd_matches_textbook_over_steps) {
  for (size_t n : kSizes) {
    Rng rng(51);
    std::vector<float> p0 = rng.floats(n, -2.0, 2.0);
    auto grads = gradients(n, 52);
    for (double momentum : {0.0, 0.9})
      for (double dampening : {0.0, 0.1})
        for (bool nesterov : {false, true})
          for (double wd : {0.0, 0.01}) {
            if (nesterov && (momentum == 0.0 || dampening != 0.0)) continue;  // not allowed (PyTorch)
            const double lr = 0.1;
            // Reference, straight from torch.optim.SGD's documentation.
            std::vector<double> p = widen(p0), buf(n, 0.0);
            for (int s = 0; s < kSteps; ++s)
              for (size_t i = 0; i < n; ++i) {
                double g = grads[s][i] + wd * p[i];
                if (momentum != 0.0) {
                  buf[i] = s == 0 ? g : momentum * buf[i] + (1 - dampening) * g;
                  g = nesterov ? g + momentum * buf[i] : buf[i];
                }
                p[i] -= lr * g;
              }
            for_each_backend([&](const Context& ctx, const std::string& backend) {
              std::vector<float> param = p0, mbuf(n, 123.0f);  // garbage: the first step must overwrite it
              for (int s = 0; s < kSteps; ++s) {
                SgdOptions o;
                o.lr = lr, o.momentum = momentum, o.dampening = dampening, o.weight_decay = wd;
                o.nesterov = nesterov, o.first_step = s == 0;
                sgd_update(ctx, param.data(), grads[s].data(), momentum != 0.0 ? mbuf.data() : nullptr, n, o);
              }
              std::string what = backend + " sgd n " + std::to_string(n) + " mu " + std::to_string(momentum) +
                                 " damp " + std::to_string(dampening) + (nesterov ? " nesterov" : "") + " wd " +
                                 std::to_string(wd);
              expect_near(param, p, what, 1e-5, 1e-6);
              if (momentum != 0.0) expect_near(mbuf, buf, what + " buffer", 1e-5, 1e-6);
            });
          }
  }
}

TEST(sgd_hand_computed) {
  // lr 0.1, momentum 0.9, g = 0.5 twice: buf 0.5 then 0.95; p 1 -> 0.95 -> 0.855.
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    float p = 1.0f, g = 0.5f, buf = 0.0f;
    SgdOptions o;
    o.lr = 0.1, o.momentum = 0.9, o.first_step = true;
    sgd_update(ctx, &p, &g, &buf, 1, o);
    CHECK(near(p, 0.95, 1e-7) && near(buf, 0.5, 1e-7)) << backend << " " << p;
    o.first_step = false;
    sgd_update(ctx, &p, &g, &buf, 1, o);
    CHECK(near(p, 0.855, 1e-7) && near(buf, 0.95, 1e-7)) << backend << " " << p;
  });
}

TEST(adam_and_adamw_match_textbook_over_steps) {
  for (size_t n : kSizes) {
    Rng rng(53);
    std::vector<float> p0 = rng.floats(n, -2.0, 2.0);
    auto grads = gradients(n, 54);
    for (double wd : {0.0, 0.1})
      for (bool decoupled : {false, true}) {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        // Kingma & Ba with bias-corrected moments; AdamW decays the weights first.
        std::vector<double> p = widen(p0), m(n, 0.0), v(n, 0.0);
        for (int s = 0; s < kSteps; ++s) {
          int t = s + 1;
          for (size_t i = 0; i < n; ++i) {
            double g = grads[s][i];
            if (decoupled) p[i] *= 1 - lr * wd;
            else g += wd * p[i];
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            double m_hat = m[i] / (1 - std::pow(b1, t)), v_hat = v[i] / (1 - std::pow(b2, t));
            p[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
          }
        }
        for_each_backend([&](const Context& ctx, const std::string& backend) {
          std::vector<float> param = p0, mm(n, 0.0f), vv(n, 0.0f);
          for (int s = 0; s < kSteps; ++s) {
            AdamOptions o;
            o.lr = lr, o.beta1 = b1, o.beta2 = b2, o.eps = eps, o.weight_decay = wd, o.decoupled = decoupled;
            o.step = s + 1;
            adam_update(ctx, param.data(), grads[s].data(), mm.data(), vv.data(), n, o);
          }
          std::string what = backend + " adam n " + std::to_string(n) + " wd " + std::to_string(wd) +
                             (decoupled ? " decoupled" : "");
          expect_near(param, p, what, 1e-5, 1e-6);
          expect_near(mm, m, what + " m", 1e-5, 1e-7);
          expect_near(vv, v, what + " v", 1e-5, 1e-9);
        });
      }
  }
}

TEST(adam_first_step_moves_by_lr) {
  // Bias correction makes the first step lr·g/(|g| + eps) = ±lr.
  for_each_backend([&](const Context& ctx, const std::string& backend) {
    float p[2] = {1.0f, 1.0f}, g[2] = {0.25f, -3.0f}, m[2] = {}, v[2] = {};
    AdamOptions o;
    o.lr = 1e-3;
    adam_update(ctx, p, g, m, v, 2, o);
    CHECK(near(p[0], 0.999, 1e-6) && near(p[1], 1.001, 1e-6)) << backend << " " << p[0] << " " << p[1];
  });
}

TEST(rmsprop_matches_textbook_over_steps) {
  for (size_t n : kSizes) {
    Rng rng(55);
    std::vector<float> p0 = rng.floats(n, -2.0, 2.0);
    auto grads = gradients(n, 56);
    for (double momentum : {0.0, 0.9})
      for (bool centered : {false, true})
        for (double wd : {0.0, 0.01}) {
          const double lr = 0.01, alpha = 0.99, eps = 1e-8;
          std::vector<double> p = widen(p0), sq(n, 0.0), buf(n, 0.0), ga(n, 0.0);
          for (int s = 0; s < kSteps; ++s)
            for (size_t i = 0; i < n; ++i) {
              double g = grads[s][i] + wd * p[i];
              sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
              double var = sq[i];
              if (centered) {
                ga[i] = alpha * ga[i] + (1 - alpha) * g;
                var -= ga[i] * ga[i];
              }
              double avg = std::sqrt(var) + eps;
              if (momentum > 0) {
                buf[i] = momentum * buf[i] + g / avg;
                p[i] -= lr * buf[i];
              } else {
                p[i] -= lr * g / avg;
              }
            }
          for_each_backend([&](const Context& ctx, const std::string& backend) {
            std::vector<float> param = p0, s_avg(n, 0.0f), mbuf(n, 0.0f), gavg(n, 0.0f);
            for (int s = 0; s < kSteps; ++s) {
              RmspropOptions o;
              o.lr = lr, o.alpha = alpha, o.eps = eps, o.weight_decay = wd, o.momentum = momentum;
              o.centered = centered;
              rmsprop_update(ctx, param.data(), grads[s].data(), s_avg.data(), momentum > 0 ? mbuf.data() : nullptr,
                             centered ? gavg.data() : nullptr, n, o);
            }
            std::string what = backend + " rmsprop n " + std::to_string(n) + " mu " + std::to_string(momentum) +
                               (centered ? " centered" : "") + " wd " + std::to_string(wd);
            // Centered: sq - ga² cancels by up to 1/(1-α), so allow 1e-4 relative.
            expect_near(param, p, what, centered ? 1e-4 : 1e-5, 1e-5);
            expect_near(s_avg, sq, what + " square_avg", 1e-5, 1e-9);
          });
        }
  }
}

TEST(adagrad_matches_textbook_over_steps) {
  for (size_t n : kSizes) {
    Rng rng(57);
    std::vector<float> p0 = rng.floats(n, -2.0, 2.0);
    auto grads = gradients(n, 58);
    for (double lr_decay : {0.0, 0.1})
      for (double wd : {0.0, 0.01}) {
        const double lr = 0.1, eps = 1e-10;
        std::vector<double> p = widen(p0), sum(n, 0.0);
        for (int s = 0; s < kSteps; ++s) {
          double clr = lr / (1 + s * lr_decay);
          for (size_t i = 0; i < n; ++i) {
            double g = grads[s][i] + wd * p[i];
            sum[i] += g * g;
            p[i] -= clr * g / (std::sqrt(sum[i]) + eps);
          }
        }
        for_each_backend([&](const Context& ctx, const std::string& backend) {
          std::vector<float> param = p0, acc(n, 0.0f);
          for (int s = 0; s < kSteps; ++s) {
            AdagradOptions o;
            o.lr = lr, o.eps = eps, o.weight_decay = wd, o.lr_decay = lr_decay, o.step = s + 1;
            adagrad_update(ctx, param.data(), grads[s].data(), acc.data(), n, o);
          }
          std::string what = backend + " adagrad n " + std::to_string(n) + " decay " + std::to_string(lr_decay) +
                             " wd " + std::to_string(wd);
          expect_near(param, p, what, 1e-5, 1e-6);
          expect_near(acc, sum, what + " sum", 1e-5, 1e-9);
        });
      }
  }
}

TEST(regularizer_penalty_and_gradient) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{17}, size_t{4099}, size_t{200003}}) {
    Rng rng(59);
    std::vector<float> p = rng.floats(n, -2.0, 2.0), g0 = rng.floats(n);
    if (n > 0) p[0] = 0.0f;
    for (double l1 : {0.0, 0.01})
      for (double l2 : {0.0, 0.005}) {
        double want = 0.0;
        std::vector<double> want_g(n);
        for (size_t i = 0; i < n; ++i) {
          want += l1 * std::fabs(p[i]) + l2 * static_cast<double>(p[i]) * p[i];
          double sign = p[i] > 0 ? 1.0 : p[i] < 0 ? -1.0 : 0.0;
          want_g[i] = g0[i] + l1 * sign + 2 * l2 * p[i];
        }
        for_each_backend([&](const Context& ctx, const std::string& backend) {
          std::vector<float> g = g0;
          double penalty = apply_regularizer(ctx, p.data(), g.data(), n, l1, l2);
          double penalty_only = apply_regularizer(ctx, p.data(), nullptr, n, l1, l2);
          std::string what = backend + " n " + std::to_string(n) + " l1 " + std::to_string(l1) + " l2 " + std::to_string(l2);
          CHECK(near(penalty, want, 1e-12, 1e-15)) << what << " penalty " << penalty << " want " << want;
          CHECK(penalty_only == penalty) << what;
          expect_near(g, want_g, what + " grad", 1e-6, 1e-7);
        });
      }
  }
}

TEST(max_norm_rows_scales_only_long_rows) {
  for (size_t cols : {size_t{1}, size_t{7}, size_t{33}, size_t{1000}}) {
    size_t rows = 40;
    Rng rng(60);
    std::vector<float> w0 = rng.floats(rows * cols, -1.0, 1.0);
    for (size_t r = 0; r < rows; r += 3)
      for (size_t c = 0; c < cols; ++c) w0[r * cols + c] *= 1e-3f;  // some rows well inside the ball
    const double max_norm = std::sqrt(static_cast<double>(cols)) * 0.4;
    for_each_backend([&](const Context& ctx, const std::string& backend) {
      std::vector<float> w = w0;
      max_norm_rows(ctx, w.data(), rows, cols, max_norm);
      for (size_t r = 0; r < rows; ++r) {
        double before = 0.0, after = 0.0;
        for (size_t c = 0; c < cols; ++c) before += static_cast<double>(w0[r * cols + c]) * w0[r * cols + c];
        for (size_t c = 0; c < cols; ++c) after += static_cast<double>(w[r * cols + c]) * w[r * cols + c];
        before = std::sqrt(before), after = std::sqrt(after);
        if (before <= max_norm) {
          bool same = true;
          for (size_t c = 0; c < cols; ++c) same = same && w[r * cols + c] == w0[r * cols + c];
          CHECK(same) << backend << " row " << r << " was inside the ball and changed";
        } else {
          CHECK(near(after, max_norm, 1e-6)) << backend << " cols " << cols << " row " << r << " norm " << after;
          double ratio = w[r * cols] / static_cast<double>(w0[r * cols]);
          CHECK(near(ratio, max_norm / before, 1e-6)) << backend << " direction changed";
        }
      }
    });
  }
}
