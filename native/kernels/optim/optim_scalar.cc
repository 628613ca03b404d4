// Portable optimizer update spans (definitions in optim.h).
#include <cmath>

#include "optim/optim_kernels.h"

namespace dendrite {
namespace {

void sgd(float* p, const float* g, float* buf, size_t n, const SgdStep& s) {
  for (size_t i = 0; i < n; ++i) {
    float d = g[i];
    if (s.weight_decay != 0.0f) d += s.weight_decay * p[i];
    if (s.use_momentum) {
      float b = s.first_step ? d : s.momentum * buf[i] + s.grad_scale * d;
      buf[i] = b;
      d = s.nesterov ? d + s.momentum * b : b;
    }
    p[i] -= s.lr * d;
  }
}

void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s) {
  for (size_t i = 0; i < n; ++i) {
    float w = p[i] * s.decay_factor;
    float d = g[i];
    if (s.weight_decay != 0.0f) d += s.weight_decay * w;
    float mi = s.beta1 * m[i] + s.one_minus_beta1 * d;
    float vi = s.beta2 * v[i] + s.one_minus_beta2 * (d * d);
    m[i] = mi;
    v[i] = vi;
    p[i] = w - s.step_size * (mi / (std::sqrt(vi) * s.inv_sqrt_bc2 + s.eps));
  }
}

void rmsprop(float* p, const float* g, float* sq, float* buf, float* ga, size_t n, const RmspropStep& s) {
  for (size_t i = 0; i < n; ++i) {
    float d = g[i];
    if (s.weight_decay != 0.0f) d += s.weight_decay * p[i];
    float q = s.alpha * sq[i] + s.one_minus_alpha * (d * d);
    sq[i] = q;
    if (s.centered) {
      float a = s.alpha * ga[i] + s.one_minus_alpha * d;
      ga[i] = a;
      q -= a * a;
      if (q < 0.0f) q = 0.0f;
    }
    float step = d / (std::sqrt(q) + s.eps);
    if (s.use_momentum) {
      step += s.momentum * buf[i];
      buf[i] = step;
    }
    p[i] -= s.lr * step;
  }
}

void adagrad(float* p, const float* g, float* sum, size_t n, const AdagradStep& s) {
  for (size_t i = 0; i < n; ++i) {
    float d = g[i];
    if (s.weight_decay != 0.0f) d += s.weight_decay * p[i];
    float q = sum[i] + d * d;
    sum[i] = q;
    p[i] -= s.lr * (d / (std::sqrt(q) + s.eps));
  }
}

void regularize(const float* p, float* g, size_t n, float l1, float l2, double* abs_sum, double* square_sum) {
  double a = 0.0, q = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double w = p[i];
    a += std::fabs(w);
    q += w * w;
  }
  if (g != nullptr) {
    for (size_t i = 0; i < n; ++i) {
      float sign = p[i] > 0.0f ? 1.0f : (p[i] < 0.0f ? -1.0f : 0.0f);
      g[i] += l1 * sign + 2.0f * l2 * p[i];
    }
  }
  *abs_sum = a;
  *square_sum = q;
}

}  // namespace

const OptimKernels& optim_kernels_scalar() {
  static const OptimKernels k{sgd, adam, rmsprop, adagrad, regularize};
  return k;
}

}  // namespace dendrite
