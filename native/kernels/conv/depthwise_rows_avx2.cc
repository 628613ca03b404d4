// The depthwise row loops on AVX2 + FMA: eight output pixels per vector,
// masked loads and stores for the row's tail.
#include <immintrin.h>

#include "conv/depthwise_rows_impl.h"
#include "gemm/simd_avx2.h"

namespace dendrite::depthwise {
namespace {

struct Avx2Ops {
  // 8 row accumulators, or 13 dot-product sums beside the shared operand,
  // within the 16 vector registers.
  static constexpr size_t kLanes = 8, kBlock = 8, kMostTerms = 13;
  using Vec = __m256;
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec broadcast(float s) { return _mm256_set1_ps(s); }
  static Vec load(const float* p) { return _mm256_loadu_ps(p); }
  static Vec load_first(const float* p, size_t n) { return _mm256_maskload_ps(p, gemm::avx2::first_lanes(n)); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
  static void store_first(float* p, Vec v, size_t n) { _mm256_maskstore_ps(p, gemm::avx2::first_lanes(n), v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
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
