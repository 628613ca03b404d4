// The Winograd tile transforms instantiated for avx512.
#include "conv/winograd_ops_avx512.h"
#include "conv/winograd_table.h"

namespace dendrite::winograd {

const WinogradKernels& avx512_winograd_kernels() { return kernels_for<Avx512Ops>(); }

}  // namespace dendrite::winograd
