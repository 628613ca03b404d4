// gemm_f32: handles the degenerate cases, then picks the path (small product
// read in place, or the packed cache-blocked driver) and the thread count.
#include "gemm/gemm.h"

#include <algorithm>

#include "gemm/gemm_driver.h"

namespace dendrite {

namespace gemm {

namespace {

// C := beta·C (k == 0 or alpha == 0: the product adds nothing). beta == 0
// writes zeros without reading C, which may hold NaN.
void scale_c(size_t m, size_t n, float beta, float* c, size_t ldc) {
  if (beta == 1.0f) return;
  for (size_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    if (beta == 0.0f) {
      std::fill(row, row + n, 0.0f);
    } else {
      for (size_t j = 0; j < n; ++j) row[j] *= beta;
    }
  }
}

// Few rows of C: packing B would cost about as much as the product, and
// the in-place kernels are faster (measured on AVX2: up to 32 rows when B is
// row-major and streams through C, up to 8 for the dot products of a
// transposed B, which also need k contiguous in A).
bool use_small_path(const GemmProblem& p) {
  if (!p.b.trans) return p.m <= 32;
  return p.m <= 8 && !p.a.trans;
}

}  // namespace

int useful_threads(const GemmProblem& p, int available) {
  // Multiply-adds per thread worth a hand-off to the pool (a few µs when the
  // workers are awake). The small path is bound by reading B, which two
  // threads' caches serve twice as fast, so it splits at an eighth of the work.
  const double min_work = use_small_path(p) ? double(1 << 17) : double(1 << 20);
  const double work = double(p.m) * double(p.n) * double(p.k);
  const int useful = static_cast<int>(std::min(work / min_work, 1024.0));
  return std::max(1, std::min(available, useful));
}

void gemm_product(const Context& ctx, const GemmProblem& problem, GemmThreads threads) {
  if (problem.m == 0 || problem.n == 0) return;
  if (problem.k == 0 || problem.alpha == 0.0f) {
    scale_c(problem.m, problem.n, problem.beta, problem.c, problem.ldc);
    return;
  }
  threads.count = useful_threads(problem, threads.count);
  const GemmKernels& kernels = gemm_kernels(ctx.isa, problem.m);
  if (use_small_path(problem)) {
    small_gemm(kernels, problem, threads);
    return;
  }
  if (ctx.workspace != nullptr) {
    packed_gemm(kernels, problem, threads, *ctx.workspace);
  } else {
    Workspace scratch;
    packed_gemm(kernels, problem, threads, scratch);
  }
}

}  // namespace gemm

void gemm_f32(const Context& ctx, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
              float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
              float* c, size_t ldc) {
  gemm::GemmProblem problem{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, alpha, beta, c, ldc};
  gemm::gemm_product(ctx, problem, {ctx.pool, ctx.threads()});
}

}  // namespace dendrite
