// The inference kernels on NEON (arm64 builds only): a 6 × 16 Winograd
// micro-tile (24 accumulators, four tile vectors and a broadcast within the 32
// vector registers) and a 4 × 16 fully connected one.
#include "infer/kernels_for_impl.h"
#include "infer/ops_neon.h"

namespace dendrite::infer {

const InferKernels& neon_infer_kernels() { return kernels_for<NeonOps, 6, 4, 4, 4>(); }

}  // namespace dendrite::infer
