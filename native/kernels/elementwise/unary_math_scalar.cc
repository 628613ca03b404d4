// Portable kernels of the plain unary math ops and their derivatives.
#include <cmath>

#include "elementwise/op_dispatch.h"
#include "elementwise/unary_kernels.h"

namespace dendrite {
namespace {

// sign with sign(0) = 0 and sign(NaN) = NaN (as NumPy).
inline float sign_of(float x) { return x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : x != x ? x : 0.0f); }

template <UnaryOp Op>
inline float forward_one(float x) {
  if constexpr (Op == UnaryOp::Neg) return -x;
  else if constexpr (Op == UnaryOp::Abs) return std::fabs(x);
  else if constexpr (Op == UnaryOp::Exp) return std::exp(x);
  else if constexpr (Op == UnaryOp::Log) return std::log(x);
  else if constexpr (Op == UnaryOp::Sqrt) return std::sqrt(x);
  else if constexpr (Op == UnaryOp::Sign) return sign_of(x);
  else if constexpr (Op == UnaryOp::Square) return x * x;
  else if constexpr (Op == UnaryOp::Reciprocal) return 1.0f / x;
  else static_assert(kNoKernelFor<Op>, "unary_math_scalar.cc: a Math op of ops.h has no forward here");
}

// gy · op'(x), written with the forward output y where that is cheaper.
template <UnaryOp Op>
inline float backward_one(float x, float y, float gy) {
  if constexpr (Op == UnaryOp::Neg) return -gy;
  else if constexpr (Op == UnaryOp::Abs) return gy * sign_of(x);
  else if constexpr (Op == UnaryOp::Exp) return gy * y;
  else if constexpr (Op == UnaryOp::Log) return gy / x;
  else if constexpr (Op == UnaryOp::Sqrt) return gy / (y + y);
  else if constexpr (Op == UnaryOp::Sign) return 0.0f;
  else if constexpr (Op == UnaryOp::Square) return gy * (x + x);
  else if constexpr (Op == UnaryOp::Reciprocal) return -gy * (y * y);
  else static_assert(kNoKernelFor<Op>, "unary_math_scalar.cc: a Math op of ops.h has no backward here");
}

template <UnaryOp Op>
void forward_span(const float* x, float* out, size_t n, float) {
  for (size_t i = 0; i < n; ++i) out[i] = forward_one<Op>(x[i]);
}

template <UnaryOp Op>
void backward_span(const float* x, const float* y, const float* gy, float* gx, size_t n, float) {
  for (size_t i = 0; i < n; ++i) gx[i] = backward_one<Op>(x[i], y[i], gy[i]);
}

struct Entry {
  template <UnaryOp Op>
  UnarySpanKernels make() const {
    return {forward_span<Op>, backward_span<Op>};
  }
};

}  // namespace

UnarySpanKernels math_unary_kernels_scalar(UnaryOp op) {
  return select_unary<UnaryHome::Math>(op, Entry{});
}

}  // namespace dendrite
