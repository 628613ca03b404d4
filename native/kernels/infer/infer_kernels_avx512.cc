// The inference kernels on AVX-512: 8 × 32 micro-tiles (sixteen
// accumulators; channel counts are usually multiples of 8), two of them per
// 16-feature panel of a fully connected layer.
#include "infer/kernels_for_impl.h"
#include "infer/ops_avx512.h"

namespace dendrite::infer {

const InferKernels& avx512_infer_kernels() { return kernels_for<Avx512Ops, 8, 2, 8, 2>(); }

}  // namespace dendrite::infer
