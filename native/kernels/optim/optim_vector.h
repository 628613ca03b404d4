// The optimizer update spans of a vector ISA, written once over its vector
// operations `V`, with the same definitions as optim_scalar.cc. An ISA's
// file (optim_avx2.cc, optim_neon.cc) supplies V and takes the table.
//
// V, beyond the span ops of elementwise/span_loops.h (Vec, kLanes, load,
// store, broadcast, fma, load_first, store_first):
//   add(a, b), mul(a, b), div(a, b), sqrt(a), max(a, b), abs(a)
//   fnma(a, b, c) = c − a·b, rounded once (fma(a, b, c) = a·b + c)
//   sign(a): +1, −1 or 0 per lane
//   Wide, wide_zero(), add_widened(acc, a), add_squares_widened(acc, a),
//   wide_sum(acc): sums of float lanes accumulated in double
// Include only from a file compiled for V's ISA.
#pragma once

#include <cstddef>

#include "optim/optim_kernels.h"

namespace dendrite::optim_vector {
// Internal linkage: each ISA's file compiles its own copy with its own
// instruction flags, and the linker must never swap one for another.
namespace {

// Calls body(i, count) over [0, n) a vector at a time, count < kLanes only at the end.
template <class V, class Body>
inline void for_each_vector(size_t n, Body body) {
  size_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) body(i, V::kLanes);
  if (i < n) body(i, n - i);
}

// The tail of a span goes through the same vector code, read and written lane by lane.
template <class V>
inline typename V::Vec load(const float* p, size_t count) {
  return count == V::kLanes ? V::load(p) : V::load_first(p, count);
}
template <class V>
inline void store(float* p, size_t count, typename V::Vec v) {
  if (count == V::kLanes) V::store(p, v);
  else V::store_first(p, v, count);
}

template <class V>
void sgd(float* p, const float* g, float* buf, size_t n, const SgdStep& s) {
  const auto lr = V::broadcast(s.lr), wd = V::broadcast(s.weight_decay);
  const auto mu = V::broadcast(s.momentum), keep = V::broadcast(s.grad_scale);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector<V>(n, [&](size_t i, size_t c) {
    const auto w = load<V>(p + i, c);
    auto d = load<V>(g + i, c);
    if (decay) d = V::fma(wd, w, d);
    if (s.use_momentum) {
      const auto b = s.first_step ? d : V::fma(mu, load<V>(buf + i, c), V::mul(keep, d));
      store<V>(buf + i, c, b);
      d = s.nesterov ? V::fma(mu, b, d) : b;
    }
    store<V>(p + i, c, V::fnma(lr, d, w));
  });
}

template <class V>
void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s) {
  const auto b1 = V::broadcast(s.beta1), c1 = V::broadcast(s.one_minus_beta1);
  const auto b2 = V::broadcast(s.beta2), c2 = V::broadcast(s.one_minus_beta2);
  const auto eps = V::broadcast(s.eps), wd = V::broadcast(s.weight_decay);
  const auto decay = V::broadcast(s.decay_factor), step = V::broadcast(s.step_size);
  const auto inv_bc2 = V::broadcast(s.inv_sqrt_bc2);
  const bool coupled = s.weight_decay != 0.0f, decoupled = s.decay_factor != 1.0f;
  for_each_vector<V>(n, [&](size_t i, size_t c) {
    auto w = load<V>(p + i, c);
    if (decoupled) w = V::mul(w, decay);
    auto d = load<V>(g + i, c);
    if (coupled) d = V::fma(wd, w, d);
    const auto mi = V::fma(b1, load<V>(m + i, c), V::mul(c1, d));
    const auto vi = V::fma(b2, load<V>(v + i, c), V::mul(c2, V::mul(d, d)));
    store<V>(m + i, c, mi);
    store<V>(v + i, c, vi);
    const auto denom = V::fma(V::sqrt(vi), inv_bc2, eps);
    store<V>(p + i, c, V::fnma(step, V::div(mi, denom), w));
  });
}

template <class V>
void rmsprop(float* p, const float* g, float* sq, float* buf, float* ga, size_t n, const RmspropStep& s) {
  const auto lr = V::broadcast(s.lr), alpha = V::broadcast(s.alpha), rest = V::broadcast(s.one_minus_alpha);
  const auto eps = V::broadcast(s.eps), wd = V::broadcast(s.weight_decay), mu = V::broadcast(s.momentum);
  const auto zero = V::broadcast(0.0f);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector<V>(n, [&](size_t i, size_t c) {
    const auto w = load<V>(p + i, c);
    auto d = load<V>(g + i, c);
    if (decay) d = V::fma(wd, w, d);
    auto q = V::fma(alpha, load<V>(sq + i, c), V::mul(rest, V::mul(d, d)));
    store<V>(sq + i, c, q);
    if (s.centered) {
      const auto a = V::fma(alpha, load<V>(ga + i, c), V::mul(rest, d));
      store<V>(ga + i, c, a);
      q = V::max(V::fnma(a, a, q), zero);
    }
    auto step = V::div(d, V::add(V::sqrt(q), eps));
    if (s.use_momentum) {
      step = V::fma(mu, load<V>(buf + i, c), step);
      store<V>(buf + i, c, step);
    }
    store<V>(p + i, c, V::fnma(lr, step, w));
  });
}

template <class V>
void adagrad(float* p, const float* g, float* sum, size_t n, const AdagradStep& s) {
  const auto lr = V::broadcast(s.lr), eps = V::broadcast(s.eps), wd = V::broadcast(s.weight_decay);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector<V>(n, [&](size_t i, size_t c) {
    const auto w = load<V>(p + i, c);
    auto d = load<V>(g + i, c);
    if (decay) d = V::fma(wd, w, d);
    const auto q = V::fma(d, d, load<V>(sum + i, c));
    store<V>(sum + i, c, q);
    store<V>(p + i, c, V::fnma(lr, V::div(d, V::add(V::sqrt(q), eps)), w));
  });
}

template <class V>
void regularize(const float* p, float* g, size_t n, float l1, float l2, double* abs_sum, double* square_sum) {
  const auto l1v = V::broadcast(l1), two_l2 = V::broadcast(2.0f * l2);
  auto a = V::wide_zero(), q = V::wide_zero();
  for_each_vector<V>(n, [&](size_t i, size_t c) {
    const auto w = load<V>(p + i, c);  // missing lanes are 0 and add nothing
    a = V::add_widened(a, V::abs(w));
    q = V::add_squares_widened(q, w);
    if (g != nullptr) {
      const auto term = V::fma(l1v, V::sign(w), V::mul(two_l2, w));
      store<V>(g + i, c, V::add(load<V>(g + i, c), term));
    }
  });
  *abs_sum = V::wide_sum(a);
  *square_sum = V::wide_sum(q);
}

template <class V>
const OptimKernels& table() {
  static const OptimKernels k{sgd<V>, adam<V>, rmsprop<V>, adagrad<V>, regularize<V>};
  return k;
}

}  // namespace
}  // namespace dendrite::optim_vector
