// The Winograd tile transforms instantiated for avx2.
#include "conv/winograd_ops_avx2.h"
#include "conv/winograd_table.h"

namespace dendrite::winograd {

const WinogradKernels& avx2_winograd_kernels() { return kernels_for<Avx2Ops>(); }

}  // namespace dendrite::winograd
