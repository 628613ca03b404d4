// Hyperparameters are doubles (as JS passes them); each update works out its
// per-step constants in double once and runs the span in float.
//
// Fused, in-place, one-pass parameter updates of the optimizers, with
// PyTorch's semantics (torch.optim, single-tensor "foreach=False" path), and
// the regularizer terms that act on parameters directly.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

struct SgdOptions {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false;
  bool first_step = false;  // initialise the momentum buffer with the gradient
};
// g = grad + wd·p; with momentum: buf = first ? g : momentum·buf + (1-dampening)·g,
// g = nesterov ? g + momentum·buf : buf; then p -= lr·g.
// momentum_buf may be null only when momentum == 0.
void sgd_update(const Context& ctx, float* param, const float* grad, float* momentum_buf, size_t n,
                const SgdOptions& o);

struct AdamOptions {
  double lr = 0, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0;
  bool decoupled = false;  // AdamW: p *= 1 - lr·wd instead of adding wd·p to the gradient
  int64_t step = 1;        // 1-based, for the bias corrections
};
// m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
// p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps).
void adam_update(const Context& ctx, float* param, const float* grad, float* m, float* v, size_t n,
                 const AdamOptions& o);

struct RmspropOptions {
  double lr = 0, alpha = 0.99, eps = 1e-8, weight_decay = 0, momentum = 0;
  bool centered = false;
};
// sq = α·sq + (1-α)·g²; centered: ga = α·ga + (1-α)·g and the variance
// sq - ga² (clamped at 0, where PyTorch would take sqrt of a rounding-negative
// number) replaces sq; avg = sqrt(·) + eps; momentum: buf = μ·buf + g/avg,
// p -= lr·buf; else p -= lr·g/avg. momentum_buf may be null only when
// momentum == 0, grad_avg only when not centered.
void rmsprop_update(const Context& ctx, float* param, const float* grad, float* square_avg, float* momentum_buf,
                    float* grad_avg, size_t n, const RmspropOptions& o);

struct AdagradOptions {
  double lr = 0, eps = 1e-10, weight_decay = 0, lr_decay = 0;
  int64_t step = 1;  // 1-based
};
// sum += g²; p -= lr/(1 + (t-1)·lr_decay) · g/(sqrt(sum) + eps).
void adagrad_update(const Context& ctx, float* param, const float* grad, float* sum, size_t n,
                    const AdagradOptions& o);

// Returns l1·Σ|p| + l2·Σp² (double accumulation, independent of the thread
// count) and, when grad is not null, adds l1·sign(p) + 2·l2·p to it.
double apply_regularizer(const Context& ctx, const float* param, float* grad, size_t n, double l1, double l2);

// Scales every row of `cols` elements whose L2 norm exceeds max_norm down to
// norm max_norm (max-norm constraint).
void max_norm_rows(const Context& ctx, float* param, size_t rows, size_t cols, double max_norm);

}  // namespace dendrite
