// The depthwise row loops in portable C++: one lane, four output pixels (or
// nine dot products) in flight so the adds pipeline.
#include "conv/depthwise_rows_impl.h"
#include "cpu/vec_scalar.h"

namespace dendrite::depthwise {
namespace {

struct ScalarOps : cpu::ScalarVec {
  static constexpr size_t kBlock = 4, kMostTerms = 9;
  static double sum(Vec v) { return v; }
};

}  // namespace

const DepthwiseKernels& scalar_depthwise_kernels() { return kernels_for<ScalarOps>(); }

}  // namespace dendrite::depthwise
