// AVX2 softmax row kernels: max pass, exp-store-and-sum pass, scale pass (the
// XNNPACK scheme), with partial vectors at the row end through masked loads.
// Rows of at most 16 elements (class scores) take a path that keeps the row
// in two registers and never leaves them, since per-row overhead dominates there.
#include <immintrin.h>

#include <cmath>

#include "activation/vector_math_avx2.h"
#include "elementwise/simd_avx2.h"
#include "softmax/softmax_kernels.h"

namespace dendrite {
namespace {

float row_max(const float* x, size_t n) {
  const __m256 neg_inf = _mm256_set1_ps(-INFINITY);
  __m256 m0 = neg_inf, m1 = neg_inf, m2 = neg_inf, m3 = neg_inf;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
    m1 = _mm256_max_ps(m1, _mm256_loadu_ps(x + i + 8));
    m2 = _mm256_max_ps(m2, _mm256_loadu_ps(x + i + 16));
    m3 = _mm256_max_ps(m3, _mm256_loadu_ps(x + i + 24));
  }
  for (; i + 8 <= n; i += 8) m0 = _mm256_max_ps(m0, _mm256_loadu_ps(x + i));
  if (i < n) m1 = _mm256_max_ps(m1, simd::load_tail(x + i, n - i, neg_inf));
  return simd::horizontal_max(_mm256_max_ps(_mm256_max_ps(m0, m1), _mm256_max_ps(m2, m3)));
}

// Σ exp(x[i] - m), storing each term in out when Store. Lanes accumulate in
// float over blocks of kSumBlock elements, blocks in double, so long rows do
// not drift.
constexpr size_t kSumBlock = 1024;

template <bool Store>
float exp_shifted(const float* x, size_t n, float m, float* out) {
  const __m256 mv = _mm256_set1_ps(m);
  double total = 0.0;
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kSumBlock < n ? i + kSumBlock : n;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    for (; i + 16 <= end; i += 16) {
      __m256 e0 = vmath::exp(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
      __m256 e1 = vmath::exp(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), mv));
      if (Store) _mm256_storeu_ps(out + i, e0), _mm256_storeu_ps(out + i + 8, e1);
      s0 = _mm256_add_ps(s0, e0);
      s1 = _mm256_add_ps(s1, e1);
    }
    for (; i + 8 <= end; i += 8) {
      __m256 e = vmath::exp(_mm256_sub_ps(_mm256_loadu_ps(x + i), mv));
      if (Store) _mm256_storeu_ps(out + i, e);
      s0 = _mm256_add_ps(s0, e);
    }
    if (i < end) {
      // Missing lanes read as -inf, whose exp is 0.
      __m256 e = vmath::exp(_mm256_sub_ps(simd::load_tail(x + i, end - i, _mm256_set1_ps(-INFINITY)), mv));
      if (Store) simd::store_tail(out + i, end - i, e);
      s1 = _mm256_add_ps(s1, e);
      i = end;
    }
    total += simd::horizontal_sum(_mm256_add_ps(s0, s1));
  }
  return static_cast<float>(total);
}

void scale_in_place(float* out, size_t n, float scale) {
  const __m256 s = _mm256_set1_ps(scale);
  simd::map_span(out, out, n, [s](__m256 v) { return _mm256_mul_ps(v, s); });
}

void softmax_row(const float* x, size_t n, float* out) {
  float sum = exp_shifted<true>(x, n, row_max(x, n), out);
  scale_in_place(out, n, 1.0f / sum);
}

void log_softmax_row(const float* x, size_t n, float* out) {
  float m = row_max(x, n);
  float log_sum = std::log(exp_shifted<false>(x, n, m, nullptr));
  const __m256 mv = _mm256_set1_ps(m), lv = _mm256_set1_ps(log_sum);
  simd::map_span(x, out, n, [=](__m256 v) { return _mm256_sub_ps(_mm256_sub_ps(v, mv), lv); });
}

// Σ a[i]·b[i] (b = nullptr: Σ a[i]), blocked like exp_shifted.
float dot(const float* a, const float* b, size_t n) {
  const __m256 one = _mm256_set1_ps(1.0f);
  double total = 0.0;
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kSumBlock < n ? i + kSumBlock : n;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0;
    for (; i + 16 <= end; i += 16) {
      s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b ? _mm256_loadu_ps(b + i) : one, s0);
      s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), b ? _mm256_loadu_ps(b + i + 8) : one, s1);
    }
    for (; i + 8 <= end; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), b ? _mm256_loadu_ps(b + i) : one, s0);
    if (i < end) {
      s1 = _mm256_fmadd_ps(simd::load_tail(a + i, end - i), b ? simd::load_tail(b + i, end - i) : one, s1);
      i = end;
    }
    total += simd::horizontal_sum(_mm256_add_ps(s0, s1));
  }
  return static_cast<float>(total);
}

void softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  const __m256 d = _mm256_set1_ps(dot(gy, y, n));
  // gx = y·(gy - d): map over y with gy read alongside.
  simd::map_span3(y, gy, gy, gx, n, [d](__m256 yv, __m256 g, __m256) { return _mm256_mul_ps(yv, _mm256_sub_ps(g, d)); });
}

void log_softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  const __m256 s = _mm256_set1_ps(dot(gy, nullptr, n));
  simd::map_span3(y, gy, gy, gx, n, [s](__m256 yv, __m256 g, __m256) {
    return _mm256_fnmadd_ps(vmath::exp(yv), s, g);
  });
}

double cross_entropy_row(const float* x, size_t n, int32_t label, float* grad) {
  const double picked = x[label];  // read before grad (which may be x) is written
  float m = row_max(x, n);
  float sum = exp_shifted<true>(x, n, m, grad);
  scale_in_place(grad, n, 1.0f / sum);
  grad[label] -= 1.0f;
  return std::log(static_cast<double>(sum)) - (picked - m);
}

// ---- rows of at most kShortRow elements ----

constexpr size_t kShortRow = 16;

// A row of cols <= 16 elements as two registers; missing lanes read as `fill`
// and are never stored.
class ShortRow {
 public:
  explicit ShortRow(size_t cols) : lo_(cols < 8 ? cols : 8), hi_(cols > 8 ? cols - 8 : 0) {}
  void load(const float* p, __m256 fill, __m256* lo, __m256* hi) const {
    *lo = simd::load_upto8(p, lo_, fill);
    *hi = simd::load_upto8(p + lo_, hi_, fill);
  }
  void store(float* p, __m256 lo, __m256 hi) const {
    simd::store_upto8(p, lo_, lo);
    simd::store_upto8(p + lo_, hi_, hi);
  }

 private:
  size_t lo_, hi_;
};

// exp(x - max) of a short row, its max and its sum (both in every lane).
struct ShortExp {
  __m256 lo, hi, max, sum;
};

inline ShortExp short_exp(const ShortRow& row, const float* x) {
  const __m256 neg_inf = _mm256_set1_ps(-INFINITY);
  __m256 a, b;
  row.load(x, neg_inf, &a, &b);
  ShortExp e;
  e.max = simd::all_lanes_max(_mm256_max_ps(a, b));
  e.lo = vmath::exp(_mm256_sub_ps(a, e.max));
  e.hi = vmath::exp(_mm256_sub_ps(b, e.max));
  e.sum = simd::all_lanes_sum(_mm256_add_ps(e.lo, e.hi));
  return e;
}

void short_softmax_rows(const float* x, size_t rows, size_t cols, float* out) {
  const ShortRow row(cols);
  for (size_t r = 0; r < rows; ++r, x += cols, out += cols) {
    ShortExp e = short_exp(row, x);
    __m256 inv = _mm256_div_ps(_mm256_set1_ps(1.0f), e.sum);
    row.store(out, _mm256_mul_ps(e.lo, inv), _mm256_mul_ps(e.hi, inv));
  }
}

void short_log_softmax_rows(const float* x, size_t rows, size_t cols, float* out) {
  const ShortRow row(cols);
  for (size_t r = 0; r < rows; ++r, x += cols, out += cols) {
    __m256 a, b;
    row.load(x, _mm256_setzero_ps(), &a, &b);
    ShortExp e = short_exp(row, x);
    __m256 log_sum = vmath::log(e.sum);
    row.store(out, _mm256_sub_ps(_mm256_sub_ps(a, e.max), log_sum), _mm256_sub_ps(_mm256_sub_ps(b, e.max), log_sum));
  }
}

void short_cross_entropy_rows(const float* x, const int32_t* labels, size_t rows, size_t cols, float* grad,
                              double* loss) {
  const ShortRow row(cols);
  const __m256i lane_lo = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i lane_hi = _mm256_add_epi32(lane_lo, _mm256_set1_epi32(8));
  const __m256 one = _mm256_set1_ps(1.0f);
  for (size_t r = 0; r < rows; ++r, x += cols, grad += cols) {
    const double picked = x[labels[r]];  // read before grad (which may be x) is written
    ShortExp e = short_exp(row, x);
    __m256 inv = _mm256_div_ps(one, e.sum);
    // Subtract the one-hot in registers: a scalar read-modify-write right
    // after the masked store would stall on store forwarding.
    const __m256i label = _mm256_set1_epi32(labels[r]);
    __m256 hot_lo = _mm256_and_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(lane_lo, label)), one);
    __m256 hot_hi = _mm256_and_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(lane_hi, label)), one);
    row.store(grad, _mm256_fmsub_ps(e.lo, inv, hot_lo), _mm256_fmsub_ps(e.hi, inv, hot_hi));
    double log_sum = _mm256_cvtss_f32(vmath::log(e.sum));
    loss[r] = log_sum - (picked - _mm256_cvtss_f32(e.max));
  }
}

void short_softmax_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  const ShortRow row(cols);
  const __m256 zero = _mm256_setzero_ps();
  for (size_t r = 0; r < rows; ++r, y += cols, gy += cols, gx += cols) {
    __m256 ya, yb, ga, gb;
    row.load(y, zero, &ya, &yb);
    row.load(gy, zero, &ga, &gb);
    __m256 dot = simd::all_lanes_sum(_mm256_fmadd_ps(ga, ya, _mm256_mul_ps(gb, yb)));
    row.store(gx, _mm256_mul_ps(ya, _mm256_sub_ps(ga, dot)), _mm256_mul_ps(yb, _mm256_sub_ps(gb, dot)));
  }
}

void short_log_softmax_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  const ShortRow row(cols);
  const __m256 zero = _mm256_setzero_ps();
  for (size_t r = 0; r < rows; ++r, y += cols, gy += cols, gx += cols) {
    __m256 ya, yb, ga, gb;
    row.load(y, zero, &ya, &yb);
    row.load(gy, zero, &ga, &gb);
    __m256 sum = simd::all_lanes_sum(_mm256_add_ps(ga, gb));
    row.store(gx, _mm256_fnmadd_ps(vmath::exp(ya), sum, ga), _mm256_fnmadd_ps(vmath::exp(yb), sum, gb));
  }
}

// ---- row ranges: short rows or the general per-row kernels ----

void softmax_rows(const float* x, size_t rows, size_t cols, float* out) {
  if (cols <= kShortRow) return short_softmax_rows(x, rows, cols, out);
  for (size_t r = 0; r < rows; ++r) softmax_row(x + r * cols, cols, out + r * cols);
}

void log_softmax_rows(const float* x, size_t rows, size_t cols, float* out) {
  if (cols <= kShortRow) return short_log_softmax_rows(x, rows, cols, out);
  for (size_t r = 0; r < rows; ++r) log_softmax_row(x + r * cols, cols, out + r * cols);
}

void softmax_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  if (cols <= kShortRow) return short_softmax_backward_rows(y, gy, rows, cols, gx);
  for (size_t r = 0; r < rows; ++r) softmax_backward_row(y + r * cols, gy + r * cols, cols, gx + r * cols);
}

void log_softmax_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  if (cols <= kShortRow) return short_log_softmax_backward_rows(y, gy, rows, cols, gx);
  for (size_t r = 0; r < rows; ++r) log_softmax_backward_row(y + r * cols, gy + r * cols, cols, gx + r * cols);
}

void cross_entropy_rows(const float* x, const int32_t* labels, size_t rows, size_t cols, float* grad,
                        double* loss) {
  if (cols <= kShortRow) return short_cross_entropy_rows(x, labels, rows, cols, grad, loss);
  for (size_t r = 0; r < rows; ++r) loss[r] = cross_entropy_row(x + r * cols, cols, labels[r], grad + r * cols);
}

}  // namespace

const SoftmaxKernels& softmax_kernels_avx2() {
  static const SoftmaxKernels k{softmax_rows, log_softmax_rows, softmax_backward_rows, log_softmax_backward_rows,
                                cross_entropy_rows};
  return k;
}

}  // namespace dendrite
