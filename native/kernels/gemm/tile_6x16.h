// The 6×16 tile of C that the scalar and AVX2 micro-kernels compute (6 rows ×
// two 8-float vectors keep twelve of AVX2's sixteen registers accumulating).
#pragma once

#include <cstddef>

namespace dendrite::gemm {

constexpr size_t kMR = 6;
constexpr size_t kNR = 16;

}  // namespace dendrite::gemm
