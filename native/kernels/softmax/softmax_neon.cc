// NEON softmax row kernels, the AVX2 scheme on four lanes: max pass,
// exp-store-and-sum pass, scale pass, with partial vectors at the row end
// read and written lane by lane. Rows of at most 16 elements (class scores)
// stay in four registers from load to store, since per-row overhead dominates
// there.
#include <arm_neon.h>

#include <cmath>

#include "cpu/simd_neon.h"
#include "cpu/vector_math_neon.h"
#include "softmax/softmax_kernels.h"

namespace dendrite {
namespace {

using neon::load_first;
using neon::store_first;

float row_max(const float* x, size_t n) {
  const float32x4_t neg_inf = vdupq_n_f32(-INFINITY);
  float32x4_t m0 = neg_inf, m1 = neg_inf, m2 = neg_inf, m3 = neg_inf;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    m0 = vmaxq_f32(m0, vld1q_f32(x + i));
    m1 = vmaxq_f32(m1, vld1q_f32(x + i + 4));
    m2 = vmaxq_f32(m2, vld1q_f32(x + i + 8));
    m3 = vmaxq_f32(m3, vld1q_f32(x + i + 12));
  }
  for (; i + 4 <= n; i += 4) m0 = vmaxq_f32(m0, vld1q_f32(x + i));
  if (i < n) m1 = vmaxq_f32(m1, load_first(x + i, n - i, neg_inf));
  return vmaxvq_f32(vmaxq_f32(vmaxq_f32(m0, m1), vmaxq_f32(m2, m3)));
}

// Σ exp(x[i] - m), storing each term in out when Store. Lanes accumulate in
// float over blocks of kSumBlock elements, blocks in double, so long rows do
// not drift.
constexpr size_t kSumBlock = 1024;

template <bool Store>
float exp_shifted(const float* x, size_t n, float m, float* out) {
  const float32x4_t mv = vdupq_n_f32(m);
  double total = 0.0;
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kSumBlock < n ? i + kSumBlock : n;
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0;
    for (; i + 8 <= end; i += 8) {
      const float32x4_t e0 = vmath::exp(vsubq_f32(vld1q_f32(x + i), mv));
      const float32x4_t e1 = vmath::exp(vsubq_f32(vld1q_f32(x + i + 4), mv));
      if (Store) vst1q_f32(out + i, e0), vst1q_f32(out + i + 4, e1);
      s0 = vaddq_f32(s0, e0);
      s1 = vaddq_f32(s1, e1);
    }
    if (i + 4 <= end) {
      const float32x4_t e = vmath::exp(vsubq_f32(vld1q_f32(x + i), mv));
      if (Store) vst1q_f32(out + i, e);
      s0 = vaddq_f32(s0, e);
      i += 4;
    }
    if (i < end) {
      // Missing lanes read as -inf, whose exp is 0.
      const float32x4_t e = vmath::exp(vsubq_f32(load_first(x + i, end - i, vdupq_n_f32(-INFINITY)), mv));
      if (Store) store_first(out + i, e, end - i);
      s1 = vaddq_f32(s1, e);
      i = end;
    }
    total += vaddvq_f32(vaddq_f32(s0, s1));
  }
  return static_cast<float>(total);
}

// out[i] = f(x[i]) over [0, n), the tail through the same f.
template <class F>
inline void map_row(const float* x, float* out, size_t n, F f) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(out + i, f(vld1q_f32(x + i), i));
  if (i < n) store_first(out + i, f(load_first(x + i, n - i), i), n - i);
}

void scale_in_place(float* out, size_t n, float scale) {
  const float32x4_t s = vdupq_n_f32(scale);
  map_row(out, out, n, [s](float32x4_t v, size_t) { return vmulq_f32(v, s); });
}

void softmax_row(const float* x, size_t n, float* out) {
  const float sum = exp_shifted<true>(x, n, row_max(x, n), out);
  scale_in_place(out, n, 1.0f / sum);
}

void log_softmax_row(const float* x, size_t n, float* out) {
  const float m = row_max(x, n);
  const float log_sum = std::log(exp_shifted<false>(x, n, m, nullptr));
  const float32x4_t mv = vdupq_n_f32(m), lv = vdupq_n_f32(log_sum);
  map_row(x, out, n, [=](float32x4_t v, size_t) { return vsubq_f32(vsubq_f32(v, mv), lv); });
}

// Σ a[i]·b[i] (b = nullptr: Σ a[i]), blocked like exp_shifted.
float dot(const float* a, const float* b, size_t n) {
  const float32x4_t one = vdupq_n_f32(1.0f);
  double total = 0.0;
  size_t i = 0;
  while (i < n) {
    const size_t end = i + kSumBlock < n ? i + kSumBlock : n;
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0;
    for (; i + 8 <= end; i += 8) {
      s0 = vfmaq_f32(s0, vld1q_f32(a + i), b ? vld1q_f32(b + i) : one);
      s1 = vfmaq_f32(s1, vld1q_f32(a + i + 4), b ? vld1q_f32(b + i + 4) : one);
    }
    for (; i + 4 <= end; i += 4) s0 = vfmaq_f32(s0, vld1q_f32(a + i), b ? vld1q_f32(b + i) : one);
    if (i < end) {
      s1 = vfmaq_f32(s1, load_first(a + i, end - i), b ? load_first(b + i, end - i) : one);
      i = end;
    }
    total += vaddvq_f32(vaddq_f32(s0, s1));
  }
  return static_cast<float>(total);
}

void softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  const float32x4_t d = vdupq_n_f32(dot(gy, y, n));
  // gx = y·(gy - d): map over y with gy read alongside.
  map_row(y, gx, n, [=](float32x4_t yv, size_t i) {
    const float32x4_t g = n - i >= 4 ? vld1q_f32(gy + i) : load_first(gy + i, n - i);
    return vmulq_f32(yv, vsubq_f32(g, d));
  });
}

void log_softmax_backward_row(const float* y, const float* gy, size_t n, float* gx) {
  const float32x4_t s = vdupq_n_f32(dot(gy, nullptr, n));
  map_row(y, gx, n, [=](float32x4_t yv, size_t i) {
    const float32x4_t g = n - i >= 4 ? vld1q_f32(gy + i) : load_first(gy + i, n - i);
    return vfmsq_f32(g, vmath::exp(yv), s);
  });
}

double cross_entropy_row(const float* x, size_t n, int32_t label, float* grad) {
  const double picked = x[label];  // read before grad (which may be x) is written
  const float m = row_max(x, n);
  const float sum = exp_shifted<true>(x, n, m, grad);
  scale_in_place(grad, n, 1.0f / sum);
  grad[label] -= 1.0f;
  return std::log(static_cast<double>(sum)) - (picked - m);
}

// ---- rows of at most kShortRow elements ----

constexpr size_t kShortVectors = 4;
constexpr size_t kShortRow = kShortVectors * neon::kLanes;

// A row of cols <= 16 elements as four registers; missing lanes read as
// `fill` and are never stored (nor read from memory).
class ShortRow {
 public:
  explicit ShortRow(size_t cols) {
    for (size_t k = 0; k < kShortVectors; ++k) {
      const size_t start = k * neon::kLanes;
      used_[k] = cols > start ? (cols - start < neon::kLanes ? cols - start : neon::kLanes) : 0;
    }
  }
  void load(const float* p, float32x4_t fill, float32x4_t v[kShortVectors]) const {
    for (size_t k = 0; k < kShortVectors; ++k) v[k] = load_first(p + k * neon::kLanes, used_[k], fill);
  }
  void store(float* p, const float32x4_t v[kShortVectors]) const {
    for (size_t k = 0; k < kShortVectors; ++k) store_first(p + k * neon::kLanes, v[k], used_[k]);
  }

 private:
  size_t used_[kShortVectors];
};

// exp(x - max) of a short row, its max and its sum (both in every lane).
struct ShortExp {
  float32x4_t e[kShortVectors], max, sum;
};

inline ShortExp short_exp(const ShortRow& row, const float* x) {
  float32x4_t v[kShortVectors];
  row.load(x, vdupq_n_f32(-INFINITY), v);
  ShortExp out;
  out.max = neon::all_lanes_max(vmaxq_f32(vmaxq_f32(v[0], v[1]), vmaxq_f32(v[2], v[3])));
  for (size_t k = 0; k < kShortVectors; ++k) out.e[k] = vmath::exp(vsubq_f32(v[k], out.max));
  out.sum = neon::all_lanes_sum(vaddq_f32(vaddq_f32(out.e[0], out.e[1]), vaddq_f32(out.e[2], out.e[3])));
  return out;
}

void short_softmax_rows(const float* x, size_t rows, size_t cols, float* out) {
  const ShortRow row(cols);
  for (size_t r = 0; r < rows; ++r, x += cols, out += cols) {
    ShortExp e = short_exp(row, x);
    const float32x4_t inv = vdivq_f32(vdupq_n_f32(1.0f), e.sum);
    for (float32x4_t& v : e.e) v = vmulq_f32(v, inv);
    row.store(out, e.e);
  }
}

void short_log_softmax_rows(const float* x, size_t rows, size_t cols, float* out) {
  const ShortRow row(cols);
  for (size_t r = 0; r < rows; ++r, x += cols, out += cols) {
    float32x4_t v[kShortVectors];
    row.load(x, vdupq_n_f32(0.0f), v);
    const ShortExp e = short_exp(row, x);
    const float32x4_t log_sum = vmath::log(e.sum);
    for (float32x4_t& a : v) a = vsubq_f32(vsubq_f32(a, e.max), log_sum);
    row.store(out, v);
  }
}

void short_cross_entropy_rows(const float* x, const int32_t* labels, size_t rows, size_t cols, float* grad,
                              double* loss) {
  const ShortRow row(cols);
  const uint32x4_t lane = {0, 1, 2, 3};
  const uint32x4_t one = vreinterpretq_u32_f32(vdupq_n_f32(1.0f));
  for (size_t r = 0; r < rows; ++r, x += cols, grad += cols) {
    const double picked = x[labels[r]];  // read before grad (which may be x) is written
    ShortExp e = short_exp(row, x);
    const float32x4_t inv = vdivq_f32(vdupq_n_f32(1.0f), e.sum);
    // Subtract the one-hot in registers rather than by a read-modify-write
    // of grad right after the stores.
    const uint32x4_t label = vdupq_n_u32(static_cast<uint32_t>(labels[r]));
    for (size_t k = 0; k < kShortVectors; ++k) {
      const uint32x4_t at = vaddq_u32(lane, vdupq_n_u32(static_cast<uint32_t>(k * neon::kLanes)));
      const float32x4_t hot = vreinterpretq_f32_u32(vandq_u32(vceqq_u32(at, label), one));
      e.e[k] = vsubq_f32(vmulq_f32(e.e[k], inv), hot);
    }
    row.store(grad, e.e);
    const double log_sum = vgetq_lane_f32(vmath::log(e.sum), 0);
    loss[r] = log_sum - (picked - vgetq_lane_f32(e.max, 0));
  }
}

// Loads each short row of y and gy (missing lanes 0), lets rule turn the gy
// registers into gx's, and stores them.
template <class Rule>
void short_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx, Rule rule) {
  const ShortRow row(cols);
  const float32x4_t zero = vdupq_n_f32(0.0f);
  for (size_t r = 0; r < rows; ++r, y += cols, gy += cols, gx += cols) {
    float32x4_t yv[kShortVectors], g[kShortVectors];
    row.load(y, zero, yv);
    row.load(gy, zero, g);
    rule(yv, g);
    row.store(gx, g);
  }
}

void short_softmax_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  short_backward_rows(y, gy, rows, cols, gx, [](const float32x4_t* yv, float32x4_t* g) {
    float32x4_t acc = vmulq_f32(g[0], yv[0]);
    for (size_t k = 1; k < kShortVectors; ++k) acc = vfmaq_f32(acc, g[k], yv[k]);
    const float32x4_t dot = neon::all_lanes_sum(acc);
    for (size_t k = 0; k < kShortVectors; ++k) g[k] = vmulq_f32(yv[k], vsubq_f32(g[k], dot));
  });
}

void short_log_softmax_backward_rows(const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  short_backward_rows(y, gy, rows, cols, gx, [](const float32x4_t* yv, float32x4_t* g) {
    const float32x4_t sum = neon::all_lanes_sum(vaddq_f32(vaddq_f32(g[0], g[1]), vaddq_f32(g[2], g[3])));
    for (size_t k = 0; k < kShortVectors; ++k) g[k] = vfmsq_f32(g[k], vmath::exp(yv[k]), sum);
  });
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

const SoftmaxKernels& softmax_kernels_neon() {
  static const SoftmaxKernels k{softmax_rows, log_softmax_rows, softmax_backward_rows, log_softmax_backward_rows,
                                cross_entropy_rows};
  return k;
}

}  // namespace dendrite
