// AVX-512 helpers shared by the GEMM's *_avx512.cc files and other kernel
// families' (include from *_avx512.cc files only: they need the AVX-512 flags).
#pragma once

#include <immintrin.h>

#include <cstddef>

namespace dendrite::gemm::avx512 {

// Mask with the first `count` (0..16, more reads as 16) of 16 lanes enabled.
inline __mmask16 first_lanes(size_t count) {
  return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1u);
}

}  // namespace dendrite::gemm::avx512
