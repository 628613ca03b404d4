// Span kernels behind optim.h, one table per ISA. The per-step scalars
// (bias corrections, decayed learning rates) are worked out once in double by
// optim.cc and handed over as floats.
#pragma once

#include <cstddef>

namespace dendrite {

struct SgdStep {
  float lr, momentum, grad_scale /* 1 - dampening */, weight_decay;
  bool use_momentum, first_step, nesterov;
};

struct AdamStep {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, eps;
  float weight_decay;     // added to the gradient (Adam); 0 for AdamW
  float decay_factor;     // p *= decay_factor first (AdamW: 1 - lr·wd; else 1)
  float step_size;        // lr / (1 - β1^t)
  float inv_sqrt_bc2;     // 1 / sqrt(1 - β2^t)
};

struct RmspropStep {
  float lr, alpha, one_minus_alpha, eps, weight_decay, momentum;
  bool centered, use_momentum;
};

struct AdagradStep {
  float lr;  // already divided by 1 + (t-1)·lr_decay
  float eps, weight_decay;
};

struct OptimKernels {
  void (*sgd)(float* p, const float* g, float* buf, size_t n, const SgdStep& s);
  void (*adam)(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s);
  void (*rmsprop)(float* p, const float* g, float* sq, float* buf, float* ga, size_t n, const RmspropStep& s);
  void (*adagrad)(float* p, const float* g, float* sum, size_t n, const AdagradStep& s);
  // Σ|p| and Σp² in double; when g is not null, g += l1·sign(p) + 2·l2·p.
  void (*regularize)(const float* p, float* g, size_t n, float l1, float l2, double* abs_sum, double* square_sum);
};

const OptimKernels& optim_kernels_scalar();
const OptimKernels& optim_kernels_avx2();
const OptimKernels& optim_kernels_neon();

}  // namespace dendrite
