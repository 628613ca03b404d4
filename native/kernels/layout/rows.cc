#include "layout/rows.h"

#include <algorithm>
#include <cstring>

namespace dendrite {

int64_t find_bad_row_index(const int32_t* indices, size_t count, size_t rows) {
  for (size_t i = 0; i < count; ++i) {
    if (indices[i] < 0 || static_cast<size_t>(indices[i]) >= rows) return static_cast<int64_t>(i);
  }
  return -1;
}

void gather_rows_f32(const Context& ctx, const float* table, size_t cols, const int32_t* indices,
                     size_t count, float* out) {
  if (cols == 0) return;
  size_t min_rows = std::max<size_t>(1, (size_t{1} << 14) / cols);
  parallel_for(ctx, count, min_rows, [&](size_t i0, size_t i1, int) {
    for (size_t i = i0; i < i1; ++i) {
      std::memcpy(out + i * cols, table + static_cast<size_t>(indices[i]) * cols, cols * sizeof(float));
    }
  });
}

void scatter_add_rows_f32(const Context& ctx, const float* gy, const int32_t* indices, size_t count,
                          size_t cols, float* gtable) {
  if (cols == 0 || count == 0) return;
  // Each thread owns a slice of columns, so repeated indices never race.
  size_t min_cols = std::max<size_t>(16, (size_t{1} << 14) / count);
  parallel_for(ctx, cols, min_cols, [&](size_t c0, size_t c1, int) {
    for (size_t i = 0; i < count; ++i) {
      float* dst = gtable + static_cast<size_t>(indices[i]) * cols;
      const float* src = gy + i * cols;
      for (size_t c = c0; c < c1; ++c) dst[c] += src[c];
    }
  });
}

}  // namespace dendrite
