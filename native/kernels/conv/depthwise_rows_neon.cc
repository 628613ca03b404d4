// The depthwise row loops on NEON (arm64 builds only): four output pixels
// per vector; a row's last partial vector is read and written piecewise.
#include <arm_neon.h>

#include "conv/depthwise_rows_impl.h"
#include "cpu/simd_neon.h"

namespace dendrite::depthwise {
namespace {

struct NeonOps {
  // 8 row accumulators, or 25 dot-product sums (a 5×5 kernel) beside the
  // shared operand and one loaded vector, within the 32 vector registers.
  static constexpr size_t kLanes = 4, kBlock = 8, kMostTerms = 25;
  using Vec = float32x4_t;
  static Vec zero() { return vdupq_n_f32(0.0f); }
  static Vec broadcast(float s) { return vdupq_n_f32(s); }
  static Vec load(const float* p) { return vld1q_f32(p); }
  static Vec load_first(const float* p, size_t n) { return neon::load_first(p, n); }
  static void store(float* p, Vec v) { vst1q_f32(p, v); }
  static void store_first(float* p, Vec v, size_t n) { neon::store_first(p, v, n); }
  static Vec fma(Vec a, Vec b, Vec c) { return vfmaq_f32(c, a, b); }
  static double sum(Vec v) { return neon::sum(neon::add_widened(neon::double4_zero(), v)); }
};

}  // namespace

const DepthwiseKernels& neon_depthwise_kernels() { return kernels_for<NeonOps>(); }

}  // namespace dendrite::depthwise
