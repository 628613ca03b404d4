// The depthwise row loops on NEON (arm64 builds only): four output pixels
// per vector; a row's last partial vector is read and written piecewise.
#include <arm_neon.h>

#include "conv/depthwise_rows_impl.h"
#include "cpu/simd_neon.h"
#include "cpu/vec_neon.h"

namespace dendrite::depthwise {
namespace {

struct NeonOps : cpu::NeonVec {
  // 8 row accumulators, or 25 dot-product sums (a 5×5 kernel) beside the
  // shared operand and one loaded vector, within the 32 vector registers.
  static constexpr size_t kBlock = 8, kMostTerms = 25;
  static double sum(Vec v) { return neon::sum(neon::add_widened(neon::double4_zero(), v)); }
};

}  // namespace

const DepthwiseKernels& neon_depthwise_kernels() { return kernels_for<NeonOps>(); }

}  // namespace dendrite::depthwise
