// The local response normalization kernels instantiated for the portable path.
#include "norm/lrn_templates.h"
#include "norm/norm_ops_scalar.h"

namespace dendrite {

const LrnKernels& lrn_kernels_scalar() { return norm::lrn_kernels_for<norm::ScalarOps>(); }

}  // namespace dendrite
