// The normalization kernels instantiated for NEON.
#include "norm/norm_ops_neon.h"
#include "norm/norm_templates.h"

namespace dendrite {

const NormKernels& norm_kernels_neon() { return norm::norm_kernels_for<norm::NeonOps>(); }

}  // namespace dendrite
