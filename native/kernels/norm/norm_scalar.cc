// The normalization kernels instantiated for the portable path.
#include "norm/norm_ops_scalar.h"
#include "norm/norm_templates.h"

namespace dendrite {

const NormKernels& norm_kernels_scalar() { return norm::norm_kernels_for<norm::ScalarOps>(); }

}  // namespace dendrite
