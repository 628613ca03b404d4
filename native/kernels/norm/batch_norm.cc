#include "norm/batch_norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "norm/norm_kernels.h"

namespace dendrite {
namespace {

// Planes smaller than this are read as rows of c·plane columns: spans that
// short would spend their time in vector tails ([N, C] input has plane 1).
constexpr size_t kMinSpanPlane = 32;
// Values per reduction work item. Fixed, not derived from the thread count,
// so the partial sums and the order they merge in depend on the shape only.
constexpr size_t kBlock = size_t{1} << 15;
// Rows per work item of the column layout (a tile of columns is kNormColumnTile wide).
constexpr size_t kBlockRows = kBlock / kNormColumnTile;
// Fewer values than this per thread and waking another thread costs more than it saves.
constexpr size_t kMinPerThread = size_t{1} << 15;

size_t ceil_div(size_t a, size_t b) { return (a + b - 1) / b; }

// Work items per thread chunk, for items of `values` values each.
size_t min_items(size_t values) { return values >= kMinPerThread ? 1 : kMinPerThread / std::max<size_t>(values, 1); }

bool column_layout(const BatchNormShape& s) { return s.plane < kMinSpanPlane; }

// ---- Span layout: channel ch's count() values in image-major order, cut into blocks of kBlock ----

// fn(offset, len) for each contiguous run of channel ch's values [first, end).
template <class Fn>
void for_each_span(const BatchNormShape& s, size_t ch, size_t first, size_t end, Fn&& fn) {
  size_t image = first / s.plane, at = first % s.plane;
  while (first < end) {
    const size_t len = std::min(s.plane - at, end - first);
    fn((image * s.c + ch) * s.plane + at, len);
    first += len, ++image, at = 0;
  }
}

// fn(ch, block, first, end) for every block of every channel, over the threads.
template <class Fn>
void for_each_channel_block(const Context& ctx, const BatchNormShape& s, Fn&& fn) {
  const size_t count = s.count(), blocks = ceil_div(count, kBlock);
  parallel_for(ctx, s.c * blocks, min_items(std::min(count, kBlock)), [&](size_t i0, size_t i1, int) {
    for (size_t i = i0; i < i1; ++i) {
      const size_t ch = i / blocks, b = i % blocks;
      fn(ch, b, b * kBlock, std::min(count, (b + 1) * kBlock));
    }
  });
}

// ---- Column layout: n rows of c·plane values ----

// fn(first_row, rows, first_column, width, row_block) for every tile of columns of every block of rows.
template <class Fn>
void for_each_column_tile(const Context& ctx, const BatchNormShape& s, Fn&& fn) {
  const size_t width = s.c * s.plane, tiles = ceil_div(width, kNormColumnTile), row_blocks = ceil_div(s.n, kBlockRows);
  const size_t per_item = std::min(s.n, kBlockRows) * kNormColumnTile;
  parallel_for(ctx, tiles * row_blocks, min_items(per_item), [&](size_t i0, size_t i1, int) {
    for (size_t i = i0; i < i1; ++i) {
      const size_t b = i / tiles, col = (i % tiles) * kNormColumnTile, r0 = b * kBlockRows;
      fn(r0, std::min(kBlockRows, s.n - r0), col, std::min(kNormColumnTile, width - col), b);
    }
  });
}

// fn(r0, r1) over the rows, spread over the threads.
template <class Fn>
void for_each_row_range(const Context& ctx, const BatchNormShape& s, Fn&& fn) {
  parallel_for(ctx, s.n, min_items(s.c * s.plane), [&](size_t r0, size_t r1, int) { fn(r0, r1); });
}

// A per-channel value repeated over the channel's plane: one entry per column.
template <class Value>
std::vector<float> per_column(const BatchNormShape& s, Value value) {
  std::vector<float> out(s.c * s.plane);
  for (size_t ch = 0; ch < s.c; ++ch) std::fill_n(out.begin() + ch * s.plane, s.plane, value(ch));
  return out;
}

std::vector<Moments> channel_moments(const Context& ctx, const NormKernels& k, const BatchNormShape& s,
                                     const float* x) {
  std::vector<Moments> out(s.c);
  if (column_layout(s)) {
    const size_t width = s.c * s.plane, row_blocks = ceil_div(s.n, kBlockRows);
    std::vector<Moments> partial(row_blocks * width);
    for_each_column_tile(ctx, s, [&](size_t r0, size_t rows, size_t col, size_t w, size_t b) {
      k.column_moments(x + r0 * width + col, rows, width, w, &partial[b * width + col]);
    });
    for (size_t b = 0; b < row_blocks; ++b) {
      for (size_t col = 0; col < width; ++col) {
        Moments& m = out[col / s.plane];
        m = merge_moments(m, partial[b * width + col]);
      }
    }
    return out;
  }
  const size_t blocks = ceil_div(s.count(), kBlock);
  std::vector<Moments> partial(s.c * blocks);
  for_each_channel_block(ctx, s, [&](size_t ch, size_t b, size_t first, size_t end) {
    Moments m;
    for_each_span(s, ch, first, end, [&](size_t at, size_t len) { m = merge_moments(m, k.span_moments(x + at, len)); });
    partial[ch * blocks + b] = m;
  });
  for (size_t ch = 0; ch < s.c; ++ch) {
    for (size_t b = 0; b < blocks; ++b) out[ch] = merge_moments(out[ch], partial[ch * blocks + b]);
  }
  return out;
}

// Per channel: [2·ch] = Σ gy, [2·ch + 1] = Σ gy·(x − mean[ch]).
std::vector<double> channel_grad_sums(const Context& ctx, const NormKernels& k, const BatchNormShape& s,
                                      const float* x, const float* gy, const float* mean) {
  std::vector<double> out(2 * s.c, 0.0);
  if (column_layout(s)) {
    const size_t width = s.c * s.plane, row_blocks = ceil_div(s.n, kBlockRows);
    const std::vector<float> column_mean = per_column(s, [&](size_t ch) { return mean[ch]; });
    // Block b's sums of gy at [2b·width, (2b + 1)·width), its centered sums after them.
    std::vector<double> partial(2 * row_blocks * width);
    for_each_column_tile(ctx, s, [&](size_t r0, size_t rows, size_t col, size_t w, size_t b) {
      const size_t at = r0 * width + col;
      k.column_grad_sums(x + at, gy + at, rows, width, w, column_mean.data() + col, &partial[2 * b * width + col],
                         &partial[(2 * b + 1) * width + col]);
    });
    for (size_t b = 0; b < row_blocks; ++b) {
      for (size_t col = 0; col < width; ++col) {
        const size_t ch = col / s.plane;
        out[2 * ch] += partial[2 * b * width + col];
        out[2 * ch + 1] += partial[(2 * b + 1) * width + col];
      }
    }
    return out;
  }
  const size_t blocks = ceil_div(s.count(), kBlock);
  std::vector<double> partial(2 * s.c * blocks);
  for_each_channel_block(ctx, s, [&](size_t ch, size_t b, size_t first, size_t end) {
    double total[2] = {0.0, 0.0};
    for_each_span(s, ch, first, end, [&](size_t at, size_t len) {
      double sums[2];
      k.span_grad_sums(x + at, gy + at, len, mean[ch], sums);
      total[0] += sums[0], total[1] += sums[1];
    });
    partial[2 * (ch * blocks + b)] = total[0];
    partial[2 * (ch * blocks + b) + 1] = total[1];
  });
  for (size_t ch = 0; ch < s.c; ++ch) {
    for (size_t b = 0; b < blocks; ++b) {
      out[2 * ch] += partial[2 * (ch * blocks + b)];
      out[2 * ch + 1] += partial[2 * (ch * blocks + b) + 1];
    }
  }
  return out;
}

// y = (x − mean[ch])·scale[ch] + shift[ch].
void normalize_channels(const Context& ctx, const NormKernels& k, const BatchNormShape& s, const float* x,
                        const float* mean, const float* scale, const float* shift, float* y) {
  if (column_layout(s)) {
    const size_t width = s.c * s.plane;
    const std::vector<float> m = per_column(s, [&](size_t ch) { return mean[ch]; });
    const std::vector<float> a = per_column(s, [&](size_t ch) { return scale[ch]; });
    const std::vector<float> b = per_column(s, [&](size_t ch) { return shift[ch]; });
    for_each_row_range(ctx, s, [&](size_t r0, size_t r1) {
      for (size_t r = r0; r < r1; ++r) k.row_normalize(x + r * width, width, m.data(), a.data(), b.data(), y + r * width);
    });
    return;
  }
  for_each_channel_block(ctx, s, [&](size_t ch, size_t, size_t first, size_t end) {
    for_each_span(s, ch, first, end,
                  [&](size_t at, size_t len) { k.span_normalize(x + at, len, mean[ch], scale[ch], shift[ch], y + at); });
  });
}

// gx = a[ch]·gy + b[ch]·(x − mean[ch]) + c[ch].
void input_grad_channels(const Context& ctx, const NormKernels& k, const BatchNormShape& s, const float* x,
                         const float* gy, const float* a, const float* mean, const float* b, const float* c,
                         float* gx) {
  if (column_layout(s)) {
    const size_t width = s.c * s.plane;
    const std::vector<float> ca = per_column(s, [&](size_t ch) { return a[ch]; });
    const std::vector<float> cm = per_column(s, [&](size_t ch) { return mean[ch]; });
    const std::vector<float> cb = per_column(s, [&](size_t ch) { return b[ch]; });
    const std::vector<float> cc = per_column(s, [&](size_t ch) { return c[ch]; });
    for_each_row_range(ctx, s, [&](size_t r0, size_t r1) {
      for (size_t r = r0; r < r1; ++r) {
        const size_t at = r * width;
        k.row_input_grad(x + at, gy + at, width, ca.data(), cm.data(), cb.data(), cc.data(), gx + at);
      }
    });
    return;
  }
  for_each_channel_block(ctx, s, [&](size_t ch, size_t, size_t first, size_t end) {
    for_each_span(s, ch, first, end, [&](size_t at, size_t len) {
      k.span_input_grad(x + at, gy + at, len, a[ch], mean[ch], b[ch], c[ch], gx + at);
    });
  });
}

}  // namespace

void batch_norm_forward_training(const Context& ctx, const BatchNormShape& s, const float* x, const float* weight,
                                 const float* bias, double eps, float* y, float* mean, float* invstd,
                                 float* running_mean, float* running_var, double momentum) {
  if (s.c == 0) return;
  const NormKernels& k = norm_kernels(ctx.isa);
  const bool empty = s.count() == 0;
  const std::vector<Moments> moments = empty ? std::vector<Moments>(s.c) : channel_moments(ctx, k, s, x);
  std::vector<float> scale(s.c), shift(s.c);
  for (size_t ch = 0; ch < s.c; ++ch) {
    const Moments& m = moments[ch];
    const double istd = 1.0 / std::sqrt(biased_variance(m) + eps);
    mean[ch] = static_cast<float>(m.mean);
    invstd[ch] = static_cast<float>(istd);
    const double channel_scale = (weight != nullptr ? weight[ch] : 1.0) * istd;
    scale[ch] = static_cast<float>(channel_scale);
    // x − mean[ch] subtracts the float mean; the shift takes back what rounding the mean lost.
    shift[ch] = static_cast<float>((bias != nullptr ? bias[ch] : 0.0) - (m.mean - mean[ch]) * channel_scale);
    if (running_mean != nullptr) {
      running_mean[ch] = static_cast<float>((1.0 - momentum) * running_mean[ch] + momentum * m.mean);
    }
    if (running_var != nullptr) {
      running_var[ch] = static_cast<float>((1.0 - momentum) * running_var[ch] + momentum * (m.m2 / (m.count - 1.0)));
    }
  }
  if (!empty) normalize_channels(ctx, k, s, x, mean, scale.data(), shift.data(), y);
}

void batch_norm_forward_inference(const Context& ctx, const BatchNormShape& s, const float* x,
                                  const float* running_mean, const float* running_var, const float* weight,
                                  const float* bias, double eps, float* y) {
  if (s.c == 0 || s.count() == 0) return;
  std::vector<float> scale(s.c), shift(s.c);
  for (size_t ch = 0; ch < s.c; ++ch) {
    const double istd = 1.0 / std::sqrt(static_cast<double>(running_var[ch]) + eps);
    scale[ch] = static_cast<float>((weight != nullptr ? weight[ch] : 1.0) * istd);
    shift[ch] = bias != nullptr ? bias[ch] : 0.0f;
  }
  normalize_channels(ctx, norm_kernels(ctx.isa), s, x, running_mean, scale.data(), shift.data(), y);
}

void batch_norm_backward(const Context& ctx, const BatchNormShape& s, const float* x, const float* gy,
                         const float* mean, const float* invstd, const float* weight, bool batch_stats, float* gx,
                         float* gweight, float* gbias) {
  if (s.c == 0) return;
  const NormKernels& k = norm_kernels(ctx.isa);
  const size_t count = s.count();
  const bool need_sums = gweight != nullptr || gbias != nullptr || (gx != nullptr && batch_stats);
  const std::vector<double> sums =
      need_sums && count > 0 ? channel_grad_sums(ctx, k, s, x, gy, mean) : std::vector<double>(2 * s.c, 0.0);
  for (size_t ch = 0; ch < s.c; ++ch) {
    if (gweight != nullptr) gweight[ch] = static_cast<float>(sums[2 * ch + 1] * invstd[ch]);
    if (gbias != nullptr) gbias[ch] = static_cast<float>(sums[2 * ch]);
  }
  if (gx == nullptr || count == 0) return;
  std::vector<float> a(s.c), b(s.c, 0.0f), c(s.c, 0.0f);
  for (size_t ch = 0; ch < s.c; ++ch) {
    const double istd = invstd[ch], scale = (weight != nullptr ? weight[ch] : 1.0) * istd;
    a[ch] = static_cast<float>(scale);
    if (batch_stats) {
      const double n = static_cast<double>(count);
      b[ch] = static_cast<float>(-scale * istd * istd * (sums[2 * ch + 1] / n));
      c[ch] = static_cast<float>(-scale * (sums[2 * ch] / n));
    }
  }
  input_grad_channels(ctx, k, s, x, gy, a.data(), mean, b.data(), c.data(), gx);
}

}  // namespace dendrite
