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

// Few rows of C: packing A and B would cost about as much as the product.
// The in-place kernels need k contiguous in A when B is transposed.
bool use_small_path(const GemmProblem& p) {
  if (p.m > 8) return false;
  return !(p.a.trans && p.b.trans);
}

}  // namespace

int useful_threads(const Context& ctx, size_t m, size_t n, size_t k) {
  // Multiply-adds worth waking another thread for: below this the hand-off
  // costs more than the split saves.
  constexpr double kMinWorkPerThread = 1 << 20;
  double work = double(m) * double(n) * double(k);
  int useful = static_cast<int>(std::min(work / kMinWorkPerThread, 1024.0));
  return std::max(1, std::min(ctx.threads(), useful));
}

void gemm_product(const Context& ctx, const GemmProblem& problem, GemmThreads threads) {
  if (problem.m == 0 || problem.n == 0) return;
  if (problem.k == 0 || problem.alpha == 0.0f) {
    scale_c(problem.m, problem.n, problem.beta, problem.c, problem.ldc);
    return;
  }
  const GemmKernels& kernels = gemm_kernels(ctx.isa);
  if (use_small_path(problem)) {
    small_gemm(kernels, problem, threads);
    return;
  }
  static const GemmBlocking blocking = default_blocking();
  if (ctx.workspace != nullptr) {
    packed_gemm(kernels, problem, blocking, threads, *ctx.workspace);
  } else {
    Workspace scratch;
    packed_gemm(kernels, problem, blocking, threads, scratch);
  }
}

}  // namespace gemm

void gemm_f32(const Context& ctx, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
              float alpha, const float* a, size_t lda, const float* b, size_t ldb, float beta,
              float* c, size_t ldc) {
  gemm::GemmProblem problem{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, alpha, beta, c, ldc};
  gemm::gemm_product(ctx, problem, {ctx.pool, gemm::useful_threads(ctx, m, n, k)});
}

}  // namespace dendrite
