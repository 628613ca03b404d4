// The depthwise row loops on AVX2 + FMA: eight output pixels per vector,
// masked loads and stores for the row's tail.
#include <immintrin.h>

#include "conv/depthwise_rows_impl.h"
#include "cpu/vec_avx2.h"

namespace dendrite::depthwise {
namespace {

struct Avx2Ops : cpu::Avx2Vec {
  // 8 row accumulators, or 13 dot-product sums beside the shared operand,
  // within the 16 vector registers.
  static constexpr size_t kBlock = 8, kMostTerms = 13;
  static double sum(Vec v) {
    const __m256d d =
        _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v)), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(d), _mm256_extractf128_pd(d, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
  }
};

}  // namespace

const DepthwiseKernels& avx2_depthwise_kernels() { return kernels_for<Avx2Ops>(); }

}  // namespace dendrite::depthwise
