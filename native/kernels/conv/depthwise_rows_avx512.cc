// The depthwise row loops on AVX-512: sixteen output pixels per vector,
// lane masks for the row's tail.
#include <immintrin.h>

#include "conv/depthwise_rows_impl.h"
#include "cpu/vec_avx512.h"

namespace dendrite::depthwise {
namespace {

struct Avx512Ops : cpu::Avx512Vec {
  // 8 row accumulators, or 25 dot-product sums (a 5×5 kernel) beside the
  // shared operand, within the 32 vector registers.
  static constexpr size_t kBlock = 8, kMostTerms = 25;
  static double sum(Vec v) {
    const __m512d d = _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(v)),
                                    _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
    return _mm512_reduce_add_pd(d);
  }
};

}  // namespace

const DepthwiseKernels& avx512_depthwise_kernels() { return kernels_for<Avx512Ops>(); }

}  // namespace dendrite::depthwise
