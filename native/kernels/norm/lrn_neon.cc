// The local response normalization kernels instantiated for NEON.
#include "norm/lrn_templates.h"
#include "norm/norm_ops_neon.h"

namespace dendrite {

const LrnKernels& lrn_kernels_neon() { return norm::lrn_kernels_for<norm::NeonOps>(); }

}  // namespace dendrite
