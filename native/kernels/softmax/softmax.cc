#include "softmax/softmax.h"

#include <vector>

#include "elementwise/isa_select.h"
#include "softmax/softmax_kernels.h"

namespace dendrite {
namespace {

const SoftmaxKernels& kernels(const Context& ctx) {
#if DENDRITE_HAVE_AVX2_KERNELS
  if (wants_avx2(ctx)) return softmax_kernels_avx2();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(ctx.isa)) return softmax_kernels_neon();
#endif
  return softmax_kernels_scalar();
}

// Rows per thread so each gets at least ~32K elements (~30 µs of work):
// waking a second thread costs tens of µs when the machine is busy.
size_t min_rows(size_t cols) { return cols >= 32768 ? 1 : 32768 / (cols ? cols : 1); }

// Calls fn(first_row, row_count) over chunks of rows spread across threads.
template <class RangeFn>
void for_row_ranges(const Context& ctx, size_t rows, size_t cols, RangeFn fn) {
  if (cols == 0) return;
  parallel_for(ctx, rows, min_rows(cols), [&](size_t r0, size_t r1, int) { fn(r0, r1 - r0); });
}

}  // namespace

void softmax_forward(const Context& ctx, const float* x, size_t rows, size_t cols, float* out) {
  auto kernel = kernels(ctx).softmax_rows;
  for_row_ranges(ctx, rows, cols, [&](size_t r, size_t count) { kernel(x + r * cols, count, cols, out + r * cols); });
}

void log_softmax_forward(const Context& ctx, const float* x, size_t rows, size_t cols, float* out) {
  auto kernel = kernels(ctx).log_softmax_rows;
  for_row_ranges(ctx, rows, cols, [&](size_t r, size_t count) { kernel(x + r * cols, count, cols, out + r * cols); });
}

void softmax_backward(const Context& ctx, const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  auto kernel = kernels(ctx).softmax_backward_rows;
  for_row_ranges(ctx, rows, cols, [&](size_t r, size_t count) {
    kernel(y + r * cols, gy + r * cols, count, cols, gx + r * cols);
  });
}

void log_softmax_backward(const Context& ctx, const float* y, const float* gy, size_t rows, size_t cols,
                          float* gx) {
  auto kernel = kernels(ctx).log_softmax_backward_rows;
  for_row_ranges(ctx, rows, cols, [&](size_t r, size_t count) {
    kernel(y + r * cols, gy + r * cols, count, cols, gx + r * cols);
  });
}

double softmax_cross_entropy(const Context& ctx, const float* logits, const int32_t* labels, size_t rows,
                             size_t cols, float* grad) {
  auto kernel = kernels(ctx).cross_entropy_rows;
  std::vector<double> loss(rows, 0.0);
  for_row_ranges(ctx, rows, cols, [&](size_t r, size_t count) {
    kernel(logits + r * cols, labels + r, count, cols, grad + r * cols, loss.data() + r);
  });
  double total = 0.0;
  for (double l : loss) total += l;
  return total;
}

size_t first_bad_label(const int32_t* labels, size_t rows, size_t cols) {
  for (size_t r = 0; r < rows; ++r) {
    if (labels[r] < 0 || static_cast<size_t>(labels[r]) >= cols) return r;
  }
  return rows;
}

}  // namespace dendrite
