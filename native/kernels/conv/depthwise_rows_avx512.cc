// The depthwise row loops on AVX-512: sixteen output pixels per vector,
// lane masks for the row's tail.
#include <immintrin.h>

#include "conv/depthwise_rows_impl.h"
#include "gemm/simd_avx512.h"

namespace dendrite::depthwise {
namespace {

struct Avx512Ops {
  // 8 row accumulators, or 25 dot-product sums (a 5×5 kernel) beside the
  // shared operand, within the 32 vector registers.
  static constexpr size_t kLanes = 16, kBlock = 8, kMostTerms = 25;
  using Vec = __m512;
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec broadcast(float s) { return _mm512_set1_ps(s); }
  static Vec load(const float* p) { return _mm512_loadu_ps(p); }
  static Vec load_first(const float* p, size_t n) { return _mm512_maskz_loadu_ps(gemm::avx512::first_lanes(n), p); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
  static void store_first(float* p, Vec v, size_t n) { _mm512_mask_storeu_ps(p, gemm::avx512::first_lanes(n), v); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static double sum(Vec v) {
    const __m512d d = _mm512_add_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(v)),
                                    _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1))));
    return _mm512_reduce_add_pd(d);
  }
};

}  // namespace

const DepthwiseKernels& avx512_depthwise_kernels() { return kernels_for<Avx512Ops>(); }

}  // namespace dendrite::depthwise
