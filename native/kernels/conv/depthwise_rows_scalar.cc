// The depthwise row loops in portable C++: one lane, four output pixels (or
// nine dot products) in flight so the adds pipeline.
#include "conv/depthwise_rows_impl.h"

namespace dendrite::depthwise {
namespace {

struct ScalarOps {
  static constexpr size_t kLanes = 1, kBlock = 4, kMostTerms = 9;
  using Vec = float;
  static Vec zero() { return 0.0f; }
  static Vec broadcast(float s) { return s; }
  static Vec load(const float* p) { return *p; }
  // With one lane there is never a partial vector.
  static Vec load_first(const float*, size_t) { return 0.0f; }
  static void store(float* p, Vec v) { *p = v; }
  static void store_first(float*, Vec, size_t) {}
  static Vec fma(Vec a, Vec b, Vec c) { return a * b + c; }
  static double sum(Vec v) { return v; }
};

}  // namespace

const DepthwiseKernels& scalar_depthwise_kernels() { return kernels_for<ScalarOps>(); }

}  // namespace dendrite::depthwise
