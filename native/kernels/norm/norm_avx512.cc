// The normalization kernels instantiated for AVX-512.
#include "norm/norm_ops_avx512.h"
#include "norm/norm_templates.h"

namespace dendrite {

const NormKernels& norm_kernels_avx512() { return norm::norm_kernels_for<norm::Avx512Ops>(); }

}  // namespace dendrite
