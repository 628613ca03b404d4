#include "optim/optim.h"

#include <cmath>
#include <vector>

#include "elementwise/isa_select.h"
#include "elementwise/scalar_ops_kernels.h"
#include "optim/optim_kernels.h"
#include "reduce/reduce_kernels.h"

namespace dendrite {
namespace {

const OptimKernels& kernels(const Context& ctx) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return optim_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(ctx.isa)) return optim_kernels_neon();
#endif
  return optim_kernels_scalar();
}

// Updates stream 3-5 arrays; below this many elements per thread a split
// does not pay for waking a thread.
constexpr size_t kMinChunk = 16384;

float f(double v) { return static_cast<float>(v); }

template <class Fn>
void split(const Context& ctx, size_t n, Fn fn) {
  parallel_for(ctx, n, kMinChunk, [&](size_t begin, size_t end, int) { fn(begin, end - begin); });
}

}  // namespace

void sgd_update(const Context& ctx, float* param, const float* grad, float* momentum_buf, size_t n,
                const SgdOptions& o) {
  SgdStep s{f(o.lr), f(o.momentum), f(1.0 - o.dampening), f(o.weight_decay), o.momentum != 0.0, o.first_step,
            o.nesterov};
  auto span = kernels(ctx).sgd;
  split(ctx, n, [&](size_t at, size_t len) {
    span(param + at, grad + at, s.use_momentum ? momentum_buf + at : nullptr, len, s);
  });
}

void adam_update(const Context& ctx, float* param, const float* grad, float* m, float* v, size_t n,
                 const AdamOptions& o) {
  const double t = static_cast<double>(o.step);
  const double bc1 = 1.0 - std::pow(o.beta1, t);
  const double bc2 = 1.0 - std::pow(o.beta2, t);
  AdamStep s;
  s.beta1 = f(o.beta1);
  s.one_minus_beta1 = f(1.0 - o.beta1);
  s.beta2 = f(o.beta2);
  s.one_minus_beta2 = f(1.0 - o.beta2);
  s.eps = f(o.eps);
  s.weight_decay = o.decoupled ? 0.0f : f(o.weight_decay);
  s.decay_factor = o.decoupled ? f(1.0 - o.lr * o.weight_decay) : 1.0f;
  s.step_size = f(o.lr / bc1);
  s.inv_sqrt_bc2 = f(1.0 / std::sqrt(bc2));
  auto span = kernels(ctx).adam;
  split(ctx, n, [&](size_t at, size_t len) { span(param + at, grad + at, m + at, v + at, len, s); });
}

void rmsprop_update(const Context& ctx, float* param, const float* grad, float* square_avg, float* momentum_buf,
                    float* grad_avg, size_t n, const RmspropOptions& o) {
  RmspropStep s{f(o.lr),    f(o.alpha),  f(1.0 - o.alpha), f(o.eps), f(o.weight_decay), f(o.momentum),
                o.centered, o.momentum > 0.0};
  auto span = kernels(ctx).rmsprop;
  split(ctx, n, [&](size_t at, size_t len) {
    span(param + at, grad + at, square_avg + at, s.use_momentum ? momentum_buf + at : nullptr,
         s.centered ? grad_avg + at : nullptr, len, s);
  });
}

void adagrad_update(const Context& ctx, float* param, const float* grad, float* sum, size_t n,
                    const AdagradOptions& o) {
  double clr = o.lr / (1.0 + static_cast<double>(o.step - 1) * o.lr_decay);
  AdagradStep s{f(clr), f(o.eps), f(o.weight_decay)};
  auto span = kernels(ctx).adagrad;
  split(ctx, n, [&](size_t at, size_t len) { span(param + at, grad + at, sum + at, len, s); });
}

double apply_regularizer(const Context& ctx, const float* param, float* grad, size_t n, double l1, double l2) {
  // Fixed blocks, partial sums added in block order: same result for any thread count.
  constexpr size_t kBlock = size_t{1} << 16;
  size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> abs_sum(blocks), square_sum(blocks);
  auto span = kernels(ctx).regularize;
  parallel_for(ctx, blocks, 1, [&](size_t b0, size_t b1, int) {
    for (size_t b = b0; b < b1; ++b) {
      size_t at = b * kBlock, len = n - at < kBlock ? n - at : kBlock;
      span(param + at, grad ? grad + at : nullptr, len, f(l1), f(l2), &abs_sum[b], &square_sum[b]);
    }
  });
  double a = 0.0, q = 0.0;
  for (size_t b = 0; b < blocks; ++b) a += abs_sum[b], q += square_sum[b];
  return l1 * a + l2 * q;
}

void max_norm_rows(const Context& ctx, float* param, size_t rows, size_t cols, double max_norm) {
  if (cols == 0) return;
#if DENDRITE_HAVE_AVX2_KERNELS
  const bool avx2 = wants_avx2(ctx);
  const ReduceKernels& reduce = avx2 ? reduce_kernels_avx2() : reduce_kernels_scalar();
  const ScalarOpKernels& scale = avx2 ? scalar_op_kernels_avx2() : scalar_op_kernels_scalar();
#elif DENDRITE_HAVE_NEON_KERNELS
  // The rescale of the few rows over the limit stays on the portable loop.
  const ReduceKernels& reduce = has_neon(ctx.isa) ? reduce_kernels_neon() : reduce_kernels_scalar();
  const ScalarOpKernels& scale = scalar_op_kernels_scalar();
#else
  const ReduceKernels& reduce = reduce_kernels_scalar();
  const ScalarOpKernels& scale = scalar_op_kernels_scalar();
#endif
  size_t min_rows = cols >= kMinChunk ? 1 : kMinChunk / cols;
  parallel_for(ctx, rows, min_rows, [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) {
      float* row = param + r * cols;
      double norm = std::sqrt(reduce.sum_squares_double(row, cols));
      if (norm > max_norm) {
        scale.scalar_op(ScalarOp::Mul, row, static_cast<float>(max_norm / norm), row, cols);
      }
    }
  });
}

}  // namespace dendrite
