// The inference kernels on AVX2 + FMA: a 6 × 16 Winograd micro-tile (twelve
// accumulators, two tile vectors and the broadcasts within 16 registers) and
// a 4 × 16 fully connected one (two of them per 8-feature panel).
#include "infer/kernels_for_impl.h"
#include "infer/ops_avx2.h"

namespace dendrite::infer {

const InferKernels& avx2_infer_kernels() { return kernels_for<Avx2Ops, 6, 2, 4, 2>(); }

}  // namespace dendrite::infer
