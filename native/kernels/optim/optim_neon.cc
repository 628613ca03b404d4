// NEON optimizer update spans; same definitions as optim_scalar.cc. The tail
// of each span goes through the same vector code, read and written lane by
// lane.
#include <arm_neon.h>

#include "cpu/simd_neon.h"
#include "optim/optim_kernels.h"

namespace dendrite {
namespace {

using neon::kLanes;

// Calls body(i, count) over [0, n) in steps of 4, count < 4 only at the end.
template <class Body>
inline void for_each_vector(size_t n, Body body) {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) body(i, kLanes);
  if (i < n) body(i, n - i);
}

inline float32x4_t load(const float* p, size_t count) {
  return count == kLanes ? vld1q_f32(p) : neon::load_first(p, count);
}
inline void store(float* p, size_t count, float32x4_t v) {
  if (count == kLanes) vst1q_f32(p, v);
  else neon::store_first(p, v, count);
}

// vfmaq_f32(a, b, c) = a + b·c and vfmsq_f32(a, b, c) = a − b·c, each rounded once.

void sgd(float* p, const float* g, float* buf, size_t n, const SgdStep& s) {
  const float32x4_t lr = vdupq_n_f32(s.lr), wd = vdupq_n_f32(s.weight_decay);
  const float32x4_t mu = vdupq_n_f32(s.momentum), keep = vdupq_n_f32(s.grad_scale);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    const float32x4_t w = load(p + i, c);
    float32x4_t d = load(g + i, c);
    if (decay) d = vfmaq_f32(d, wd, w);
    if (s.use_momentum) {
      const float32x4_t b = s.first_step ? d : vfmaq_f32(vmulq_f32(keep, d), mu, load(buf + i, c));
      store(buf + i, c, b);
      d = s.nesterov ? vfmaq_f32(d, mu, b) : b;
    }
    store(p + i, c, vfmsq_f32(w, lr, d));
  });
}

void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s) {
  const float32x4_t b1 = vdupq_n_f32(s.beta1), c1 = vdupq_n_f32(s.one_minus_beta1);
  const float32x4_t b2 = vdupq_n_f32(s.beta2), c2 = vdupq_n_f32(s.one_minus_beta2);
  const float32x4_t eps = vdupq_n_f32(s.eps), wd = vdupq_n_f32(s.weight_decay);
  const float32x4_t decay = vdupq_n_f32(s.decay_factor), step = vdupq_n_f32(s.step_size);
  const float32x4_t inv_bc2 = vdupq_n_f32(s.inv_sqrt_bc2);
  const bool coupled = s.weight_decay != 0.0f, decoupled = s.decay_factor != 1.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    float32x4_t w = load(p + i, c);
    if (decoupled) w = vmulq_f32(w, decay);
    float32x4_t d = load(g + i, c);
    if (coupled) d = vfmaq_f32(d, wd, w);
    const float32x4_t mi = vfmaq_f32(vmulq_f32(c1, d), b1, load(m + i, c));
    const float32x4_t vi = vfmaq_f32(vmulq_f32(c2, vmulq_f32(d, d)), b2, load(v + i, c));
    store(m + i, c, mi);
    store(v + i, c, vi);
    const float32x4_t denom = vfmaq_f32(eps, vsqrtq_f32(vi), inv_bc2);
    store(p + i, c, vfmsq_f32(w, step, vdivq_f32(mi, denom)));
  });
}

void rmsprop(float* p, const float* g, float* sq, float* buf, float* ga, size_t n, const RmspropStep& s) {
  const float32x4_t lr = vdupq_n_f32(s.lr), alpha = vdupq_n_f32(s.alpha), rest = vdupq_n_f32(s.one_minus_alpha);
  const float32x4_t eps = vdupq_n_f32(s.eps), wd = vdupq_n_f32(s.weight_decay), mu = vdupq_n_f32(s.momentum);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    const float32x4_t w = load(p + i, c);
    float32x4_t d = load(g + i, c);
    if (decay) d = vfmaq_f32(d, wd, w);
    float32x4_t q = vfmaq_f32(vmulq_f32(rest, vmulq_f32(d, d)), alpha, load(sq + i, c));
    store(sq + i, c, q);
    if (s.centered) {
      const float32x4_t a = vfmaq_f32(vmulq_f32(rest, d), alpha, load(ga + i, c));
      store(ga + i, c, a);
      q = vmaxq_f32(vfmsq_f32(q, a, a), vdupq_n_f32(0.0f));
    }
    float32x4_t step = vdivq_f32(d, vaddq_f32(vsqrtq_f32(q), eps));
    if (s.use_momentum) {
      step = vfmaq_f32(step, mu, load(buf + i, c));
      store(buf + i, c, step);
    }
    store(p + i, c, vfmsq_f32(w, lr, step));
  });
}

void adagrad(float* p, const float* g, float* sum, size_t n, const AdagradStep& s) {
  const float32x4_t lr = vdupq_n_f32(s.lr), eps = vdupq_n_f32(s.eps), wd = vdupq_n_f32(s.weight_decay);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    const float32x4_t w = load(p + i, c);
    float32x4_t d = load(g + i, c);
    if (decay) d = vfmaq_f32(d, wd, w);
    const float32x4_t q = vfmaq_f32(load(sum + i, c), d, d);
    store(sum + i, c, q);
    store(p + i, c, vfmsq_f32(w, lr, vdivq_f32(d, vaddq_f32(vsqrtq_f32(q), eps))));
  });
}

void regularize(const float* p, float* g, size_t n, float l1, float l2, double* abs_sum, double* square_sum) {
  const float32x4_t l1v = vdupq_n_f32(l1), two_l2 = vdupq_n_f32(2.0f * l2), zero = vdupq_n_f32(0.0f);
  const uint32x4_t one = vreinterpretq_u32_f32(vdupq_n_f32(1.0f)), minus_one = vreinterpretq_u32_f32(vdupq_n_f32(-1.0f));
  neon::Double4 a = neon::double4_zero(), q = a;
  for_each_vector(n, [&](size_t i, size_t c) {
    const float32x4_t w = load(p + i, c);  // missing lanes are 0 and add nothing
    a = neon::add_widened(a, vabsq_f32(w));
    q = neon::add_squares_widened(q, w);
    if (g != nullptr) {
      const float32x4_t sign = vreinterpretq_f32_u32(
          vorrq_u32(vandq_u32(vcgtq_f32(w, zero), one), vandq_u32(vcltq_f32(w, zero), minus_one)));
      const float32x4_t term = vfmaq_f32(vmulq_f32(two_l2, w), l1v, sign);
      store(g + i, c, vaddq_f32(load(g + i, c), term));
    }
  });
  *abs_sum = neon::sum(a);
  *square_sum = neon::sum(q);
}

}  // namespace

const OptimKernels& optim_kernels_neon() {
  static const OptimKernels k{sgd, adam, rmsprop, adagrad, regularize};
  return k;
}

}  // namespace dendrite
