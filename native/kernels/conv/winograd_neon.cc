// The Winograd tile transforms instantiated for NEON (arm64 builds only).
#include "conv/winograd_ops_neon.h"
#include "conv/winograd_table.h"

namespace dendrite::winograd {

const WinogradKernels& neon_winograd_kernels() { return kernels_for<NeonOps>(); }

}  // namespace dendrite::winograd
