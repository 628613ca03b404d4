// The NEON vector type for the loops of span_loops.h and vector_kernels.h,
// on the partial-vector helpers of cpu/simd_neon.h. Include ONLY from
// *_neon.cc files.
#pragma once

#include <arm_neon.h>

#include <cstddef>

#include "cpu/simd_neon.h"
#include "cpu/vec_neon.h"

namespace dendrite::neon {
// An unnamed namespace gives its members internal linkage, as everything in
// the per-ISA headers has.
namespace {
struct NeonOps : cpu::NeonVec {};
}  // namespace
}  // namespace dendrite::neon
