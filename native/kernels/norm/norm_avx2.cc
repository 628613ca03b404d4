// The normalization kernels instantiated for AVX2+FMA.
#include "norm/norm_ops_avx2.h"
#include "norm/norm_templates.h"

namespace dendrite {

const NormKernels& norm_kernels_avx2() { return norm::norm_kernels_for<norm::Avx2Ops>(); }

}  // namespace dendrite
