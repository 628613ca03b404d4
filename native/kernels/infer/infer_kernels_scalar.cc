// The inference kernels in portable C++ (one lane; a 4 × 4 Winograd
// micro-tile and a 1 × 16 fully connected one keep sixteen independent sums
// in flight).
#include "infer/kernels_for_impl.h"
#include "infer/ops_scalar.h"

namespace dendrite::infer {

const InferKernels& scalar_infer_kernels() { return kernels_for<ScalarOps, 4, 4, 1, 16>(); }

}  // namespace dendrite::infer
