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
  return softmax_kernels_scalar();
}

// Rows per thread so each gets at least ~8K elements (the rows evaluate exp,
// so smaller splits than the memory-bound kernels already pay).
size_t min_rows(size_t cols) { return cols >= 8192 ? 1 : 8192 / (cols ? cols : 1); }

template <class RowFn>
void for_each_row(const Context& ctx, size_t rows, size_t cols, RowFn fn) {
  if (cols == 0) return;
  parallel_for(ctx, rows, min_rows(cols), [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) fn(r, r * cols);
  });
}

}  // namespace

void softmax_forward(const Context& ctx, const float* x, size_t rows, size_t cols, float* out) {
  auto row = kernels(ctx).softmax_row;
  for_each_row(ctx, rows, cols, [&](size_t, size_t at) { row(x + at, cols, out + at); });
}

void log_softmax_forward(const Context& ctx, const float* x, size_t rows, size_t cols, float* out) {
  auto row = kernels(ctx).log_softmax_row;
  for_each_row(ctx, rows, cols, [&](size_t, size_t at) { row(x + at, cols, out + at); });
}

void softmax_backward(const Context& ctx, const float* y, const float* gy, size_t rows, size_t cols, float* gx) {
  auto row = kernels(ctx).softmax_backward_row;
  for_each_row(ctx, rows, cols, [&](size_t, size_t at) { row(y + at, gy + at, cols, gx + at); });
}

void log_softmax_backward(const Context& ctx, const float* y, const float* gy, size_t rows, size_t cols,
                          float* gx) {
  auto row = kernels(ctx).log_softmax_backward_row;
  for_each_row(ctx, rows, cols, [&](size_t, size_t at) { row(y + at, gy + at, cols, gx + at); });
}

double softmax_cross_entropy(const Context& ctx, const float* logits, const int32_t* labels, size_t rows,
                             size_t cols, float* grad) {
  auto row = kernels(ctx).cross_entropy_row;
  std::vector<double> loss(rows, 0.0);
  for_each_row(ctx, rows, cols, [&](size_t r, size_t at) { loss[r] = row(logits + at, cols, labels[r], grad + at); });
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
