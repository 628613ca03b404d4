#include "norm/layer_norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "norm/norm_kernels.h"

namespace dendrite {
namespace {

// Fewer values than this per thread and waking another thread costs more than it saves.
constexpr size_t kMinPerThread = size_t{1} << 15;
// At most this many blocks of rows keep partial column sums for gweight and gbias,
constexpr size_t kMaxRowBlocks = 64;
// and together they hold at most this many doubles per sum.
constexpr size_t kMaxPartialValues = size_t{1} << 20;
// Rows whose weight and bias gradients are summed in float before the sums move to double.
constexpr size_t kFloatRows = 16;

size_t ceil_div(size_t a, size_t b) { return (a + b - 1) / b; }

size_t rows_per_thread(size_t cols) { return cols >= kMinPerThread ? 1 : kMinPerThread / std::max<size_t>(cols, 1); }

// Rows per block for the column sums: a function of the shape only.
size_t rows_per_block(size_t rows, size_t cols) {
  const size_t by_count = ceil_div(rows, kMaxRowBlocks);
  const size_t by_memory = ceil_div(rows, std::max<size_t>(1, kMaxPartialValues / std::max<size_t>(cols, 1)));
  return std::max({by_count, by_memory, rows_per_thread(cols), size_t{1}});
}

}  // namespace

void layer_norm_forward(const Context& ctx, size_t rows, size_t cols, const float* x, const float* weight,
                        const float* bias, double eps, float* y, float* mean, float* invstd) {
  const NormKernels& k = norm_kernels(ctx.isa);
  parallel_for(ctx, rows, rows_per_thread(cols), [&](size_t r0, size_t r1, int) {
    for (size_t r = r0; r < r1; ++r) {
      const float* row = x + r * cols;
      const Moments m = cols > 0 ? k.span_moments(row, cols) : Moments{};
      mean[r] = static_cast<float>(m.mean);
      invstd[r] = static_cast<float>(1.0 / std::sqrt(biased_variance(m) + eps));
      k.layer_norm_row(row, cols, mean[r], invstd[r], weight, bias, y + r * cols);
    }
  });
}

void layer_norm_backward(const Context& ctx, size_t rows, size_t cols, const float* x, const float* gy,
                         const float* mean, const float* invstd, const float* weight, float* gx, float* gweight,
                         float* gbias) {
  const NormKernels& k = norm_kernels(ctx.isa);
  const size_t block = rows_per_block(rows, cols), blocks = ceil_div(rows, block);
  // Block b's column sums at [b·cols, (b + 1)·cols).
  std::vector<double> weight_sums(gweight != nullptr ? blocks * cols : 0, 0.0);
  std::vector<double> bias_sums(gbias != nullptr ? blocks * cols : 0, 0.0);
  parallel_for(ctx, blocks, 1, [&](size_t b0, size_t b1, int) {
    std::vector<float> weight_part(weight_sums.empty() ? 0 : cols), bias_part(bias_sums.empty() ? 0 : cols);
    float* gw = weight_part.empty() ? nullptr : weight_part.data();
    float* gb = bias_part.empty() ? nullptr : bias_part.data();
    for (size_t b = b0; b < b1; ++b) {
      const size_t end = std::min(rows, (b + 1) * block);
      for (size_t first = b * block; first < end; first += kFloatRows) {
        std::fill(weight_part.begin(), weight_part.end(), 0.0f);
        std::fill(bias_part.begin(), bias_part.end(), 0.0f);
        for (size_t r = first; r < std::min(end, first + kFloatRows); ++r) {
          const size_t at = r * cols;
          double sums[2] = {0.0, 0.0};
          if (gx != nullptr) k.layer_norm_row_sums(x + at, gy + at, weight, cols, mean[r], invstd[r], sums);
          const double n = static_cast<double>(cols);
          k.layer_norm_row_backward(x + at, gy + at, weight, cols, mean[r], invstd[r], static_cast<float>(sums[0] / n),
                                    static_cast<float>(sums[1] / n), gx != nullptr ? gx + at : nullptr, gw, gb);
        }
        for (size_t j = 0; j < weight_part.size(); ++j) weight_sums[b * cols + j] += weight_part[j];
        for (size_t j = 0; j < bias_part.size(); ++j) bias_sums[b * cols + j] += bias_part[j];
      }
    }
  });
  for (size_t j = 0; j < cols && (gweight != nullptr || gbias != nullptr); ++j) {
    double w = 0.0, bsum = 0.0;
    for (size_t b = 0; b < blocks; ++b) {
      if (gweight != nullptr) w += weight_sums[b * cols + j];
      if (gbias != nullptr) bsum += bias_sums[b * cols + j];
    }
    if (gweight != nullptr) gweight[j] = static_cast<float>(w);
    if (gbias != nullptr) gbias[j] = static_cast<float>(bsum);
  }
}

}  // namespace dendrite
