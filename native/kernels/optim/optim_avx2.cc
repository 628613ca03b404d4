// AVX2 optimizer update spans; same definitions as optim_scalar.cc. The tail
// of each span goes through the same vector code with masked loads/stores.
#include <immintrin.h>

#include "elementwise/simd_avx2.h"
#include "optim/optim_kernels.h"

namespace dendrite {
namespace {

// Calls body(i, count) over [0, n) in steps of 8, count < 8 only at the end.
template <class Body>
inline void for_each_vector(size_t n, Body body) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) body(i, size_t{8});
  if (i < n) body(i, n - i);
}

inline __m256 load(const float* p, size_t count) {
  return count == 8 ? _mm256_loadu_ps(p) : simd::load_tail(p, count);
}
inline void store(float* p, size_t count, __m256 v) {
  if (count == 8) _mm256_storeu_ps(p, v);
  else simd::store_tail(p, count, v);
}

void sgd(float* p, const float* g, float* buf, size_t n, const SgdStep& s) {
  const __m256 lr = _mm256_set1_ps(s.lr), wd = _mm256_set1_ps(s.weight_decay);
  const __m256 mu = _mm256_set1_ps(s.momentum), keep = _mm256_set1_ps(s.grad_scale);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    __m256 w = load(p + i, c);
    __m256 d = load(g + i, c);
    if (decay) d = _mm256_fmadd_ps(wd, w, d);
    if (s.use_momentum) {
      __m256 b = s.first_step ? d : _mm256_fmadd_ps(mu, load(buf + i, c), _mm256_mul_ps(keep, d));
      store(buf + i, c, b);
      d = s.nesterov ? _mm256_fmadd_ps(mu, b, d) : b;
    }
    store(p + i, c, _mm256_fnmadd_ps(lr, d, w));
  });
}

void adam(float* p, const float* g, float* m, float* v, size_t n, const AdamStep& s) {
  const __m256 b1 = _mm256_set1_ps(s.beta1), c1 = _mm256_set1_ps(s.one_minus_beta1);
  const __m256 b2 = _mm256_set1_ps(s.beta2), c2 = _mm256_set1_ps(s.one_minus_beta2);
  const __m256 eps = _mm256_set1_ps(s.eps), wd = _mm256_set1_ps(s.weight_decay);
  const __m256 decay = _mm256_set1_ps(s.decay_factor), step = _mm256_set1_ps(s.step_size);
  const __m256 inv_bc2 = _mm256_set1_ps(s.inv_sqrt_bc2);
  const bool coupled = s.weight_decay != 0.0f, decoupled = s.decay_factor != 1.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    __m256 w = load(p + i, c);
    if (decoupled) w = _mm256_mul_ps(w, decay);
    __m256 d = load(g + i, c);
    if (coupled) d = _mm256_fmadd_ps(wd, w, d);
    __m256 mi = _mm256_fmadd_ps(b1, load(m + i, c), _mm256_mul_ps(c1, d));
    __m256 vi = _mm256_fmadd_ps(b2, load(v + i, c), _mm256_mul_ps(c2, _mm256_mul_ps(d, d)));
    store(m + i, c, mi);
    store(v + i, c, vi);
    __m256 denom = _mm256_fmadd_ps(_mm256_sqrt_ps(vi), inv_bc2, eps);
    store(p + i, c, _mm256_fnmadd_ps(step, _mm256_div_ps(mi, denom), w));
  });
}

void rmsprop(float* p, const float* g, float* sq, float* buf, float* ga, size_t n, const RmspropStep& s) {
  const __m256 lr = _mm256_set1_ps(s.lr), alpha = _mm256_set1_ps(s.alpha), rest = _mm256_set1_ps(s.one_minus_alpha);
  const __m256 eps = _mm256_set1_ps(s.eps), wd = _mm256_set1_ps(s.weight_decay), mu = _mm256_set1_ps(s.momentum);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    __m256 w = load(p + i, c);
    __m256 d = load(g + i, c);
    if (decay) d = _mm256_fmadd_ps(wd, w, d);
    __m256 q = _mm256_fmadd_ps(alpha, load(sq + i, c), _mm256_mul_ps(rest, _mm256_mul_ps(d, d)));
    store(sq + i, c, q);
    if (s.centered) {
      __m256 a = _mm256_fmadd_ps(alpha, load(ga + i, c), _mm256_mul_ps(rest, d));
      store(ga + i, c, a);
      q = _mm256_max_ps(_mm256_fnmadd_ps(a, a, q), _mm256_setzero_ps());
    }
    __m256 step = _mm256_div_ps(d, _mm256_add_ps(_mm256_sqrt_ps(q), eps));
    if (s.use_momentum) {
      step = _mm256_fmadd_ps(mu, load(buf + i, c), step);
      store(buf + i, c, step);
    }
    store(p + i, c, _mm256_fnmadd_ps(lr, step, w));
  });
}

void adagrad(float* p, const float* g, float* sum, size_t n, const AdagradStep& s) {
  const __m256 lr = _mm256_set1_ps(s.lr), eps = _mm256_set1_ps(s.eps), wd = _mm256_set1_ps(s.weight_decay);
  const bool decay = s.weight_decay != 0.0f;
  for_each_vector(n, [&](size_t i, size_t c) {
    __m256 w = load(p + i, c);
    __m256 d = load(g + i, c);
    if (decay) d = _mm256_fmadd_ps(wd, w, d);
    __m256 q = _mm256_fmadd_ps(d, d, load(sum + i, c));
    store(sum + i, c, q);
    store(p + i, c, _mm256_fnmadd_ps(lr, _mm256_div_ps(d, _mm256_add_ps(_mm256_sqrt_ps(q), eps)), w));
  });
}

void regularize(const float* p, float* g, size_t n, float l1, float l2, double* abs_sum, double* square_sum) {
  const __m256 l1v = _mm256_set1_ps(l1), two_l2 = _mm256_set1_ps(2.0f * l2);
  const __m256 one = _mm256_set1_ps(1.0f), zero = _mm256_setzero_ps();
  __m256d a = _mm256_setzero_pd(), q = _mm256_setzero_pd();
  for_each_vector(n, [&](size_t i, size_t c) {
    __m256 w = load(p + i, c);  // missing lanes are 0 and add nothing
    a = simd::add_widened(a, simd::abs(w));
    __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(w)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(w, 1));
    q = _mm256_fmadd_pd(lo, lo, _mm256_fmadd_pd(hi, hi, q));
    if (g != nullptr) {
      __m256 sign = _mm256_or_ps(_mm256_and_ps(_mm256_cmp_ps(w, zero, _CMP_GT_OQ), one),
                                 _mm256_and_ps(_mm256_cmp_ps(w, zero, _CMP_LT_OQ), _mm256_set1_ps(-1.0f)));
      __m256 term = _mm256_fmadd_ps(l1v, sign, _mm256_mul_ps(two_l2, w));
      store(g + i, c, _mm256_add_ps(load(g + i, c), term));
    }
  });
  *abs_sum = simd::horizontal_sum(a);
  *square_sum = simd::horizontal_sum(q);
}

}  // namespace

const OptimKernels& optim_kernels_avx2() {
  static const OptimKernels k{sgd, adam, rmsprop, adagrad, regularize};
  return k;
}

}  // namespace dendrite
