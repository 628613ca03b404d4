// Portable activation kernels, forward and backward, on libm's float
// functions. The AVX2 versions (activation_avx2.cc) compute the same
// definitions with vectorised exp/log/erfc.
#include <cmath>

#include "elementwise/op_dispatch.h"
#include "elementwise/unary_kernels.h"

namespace dendrite {
namespace {

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// Φ(x), the standard normal CDF, through erfc so the left tail keeps its
// relative accuracy.
inline float normal_cdf(float x) { return 0.5f * std::erfc(-x * 0.70710678118654752f); }

inline float normal_pdf(float x) { return 0.39894228040143268f * std::exp(-0.5f * x * x); }

// log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)): no overflow, exact tails.
inline float softplus(float x) { return (x > 0.0f ? x : 0.0f) + std::log1p(std::exp(-std::fabs(x))); }

template <UnaryOp Op>
inline float forward_one(float x, float p) {
  if constexpr (Op == UnaryOp::Relu) return x <= 0.0f ? 0.0f : x;  // NaN stays NaN
  else if constexpr (Op == UnaryOp::Sigmoid) return sigmoid(x);
  else if constexpr (Op == UnaryOp::Tanh) return std::tanh(x);
  else if constexpr (Op == UnaryOp::LeakyRelu) return x > 0.0f ? x : x * p;
  else if constexpr (Op == UnaryOp::Elu) return x > 0.0f ? x : p * std::expm1(x);
  else if constexpr (Op == UnaryOp::Gelu) return x * normal_cdf(x);
  else if constexpr (Op == UnaryOp::Silu) return x * sigmoid(x);
  else if constexpr (Op == UnaryOp::Softplus) return softplus(x);
  else static_assert(kNoKernelFor<Op>, "activation_scalar.cc: an Activation op of ops.h has no forward here");
}

// gy · op'(x). Derivatives at the kink take the left side (0 for ReLU, p for
// LeakyRelu, alpha for Elu at x = 0), as PyTorch does.
template <UnaryOp Op>
inline float backward_one(float x, float y, float gy, float p) {
  if constexpr (Op == UnaryOp::Relu) return x > 0.0f ? gy : 0.0f;
  else if constexpr (Op == UnaryOp::Sigmoid) return gy * (y * (1.0f - y));
  else if constexpr (Op == UnaryOp::Tanh) return gy * (1.0f - y * y);
  else if constexpr (Op == UnaryOp::LeakyRelu) return x > 0.0f ? gy : gy * p;
  else if constexpr (Op == UnaryOp::Elu) return x > 0.0f ? gy : gy * (p * std::exp(x));
  else if constexpr (Op == UnaryOp::Gelu) return gy * (normal_cdf(x) + x * normal_pdf(x));
  else if constexpr (Op == UnaryOp::Silu) {
    float s = sigmoid(x);
    return gy * (s * (1.0f + x * (1.0f - s)));
  } else if constexpr (Op == UnaryOp::Softplus) {
    return gy * sigmoid(x);
  } else {
    static_assert(kNoKernelFor<Op>, "activation_scalar.cc: an Activation op of ops.h has no backward here");
  }
}

template <UnaryOp Op>
void forward_span(const float* x, float* out, size_t n, float p) {
  for (size_t i = 0; i < n; ++i) out[i] = forward_one<Op>(x[i], p);
}

template <UnaryOp Op>
void backward_span(const float* x, const float* y, const float* gy, float* gx, size_t n, float p) {
  for (size_t i = 0; i < n; ++i) gx[i] = backward_one<Op>(x[i], y[i], gy[i], p);
}

struct Entry {
  template <UnaryOp Op>
  UnarySpanKernels make() const {
    return {forward_span<Op>, backward_span<Op>};
  }
};

}  // namespace

UnarySpanKernels activation_kernels_scalar(UnaryOp op) {
  return select_unary<UnaryHome::Activation>(op, Entry{});
}

}  // namespace dendrite
