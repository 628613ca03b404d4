// The local response normalization kernels instantiated for AVX2+FMA.
#include "norm/lrn_templates.h"
#include "norm/norm_ops_avx2.h"

namespace dendrite {

const LrnKernels& lrn_kernels_avx2() { return norm::lrn_kernels_for<norm::Avx2Ops>(); }

}  // namespace dendrite
