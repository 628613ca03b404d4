// Row gathers for embedding lookups and index_select, and their scatter-add gradient.
// A table is `rows` rows of `cols` contiguous floats.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

// Position of the first index outside [0, rows), or -1 when all are valid.
int64_t find_bad_row_index(const int32_t* indices, size_t count, size_t rows);

// out[i] = table[indices[i]] for i < count. Indices must be valid (see find_bad_row_index).
void gather_rows_f32(const Context& ctx, const float* table, size_t cols, const int32_t* indices,
                     size_t count, float* out);

// gtable[indices[i]] += gy[i] for i < count, in index order for every column
// (deterministic for any thread count: threads split the columns, not the rows).
void scatter_add_rows_f32(const Context& ctx, const float* gy, const int32_t* indices, size_t count,
                          size_t cols, float* gtable);

}  // namespace dendrite
