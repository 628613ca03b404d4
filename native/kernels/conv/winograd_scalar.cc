// The Winograd tile transforms instantiated for scalar.
#include "conv/winograd_ops_scalar.h"
#include "conv/winograd_table.h"

namespace dendrite::winograd {

const WinogradKernels& scalar_winograd_kernels() { return kernels_for<ScalarOps>(); }

}  // namespace dendrite::winograd
