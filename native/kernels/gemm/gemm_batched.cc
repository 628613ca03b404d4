// Strided batched GEMM. Products big enough to keep every thread busy run one
// after another, each threaded; smaller ones run side by side, one product
// per thread, which saves a hand-off per product and keeps threads busy when
// a single product is too small to split. Runs of products are handed out
// four per thread, so a thread the OS delays holds up only a few.
#include <algorithm>

#include "gemm/gemm.h"
#include "gemm/gemm_driver.h"

namespace dendrite {

void gemm_f32_batched(const Context& ctx, bool trans_a, bool trans_b, size_t m, size_t n, size_t k,
                      float alpha, const float* a, size_t lda, size_t stride_a, const float* b,
                      size_t ldb, size_t stride_b, float beta, float* c, size_t ldc, size_t stride_c,
                      size_t batch) {
  if (batch == 0 || m == 0 || n == 0) return;
  auto problem = [&](size_t i) {
    return gemm::GemmProblem{{a + i * stride_a, lda, trans_a}, {b + i * stride_b, ldb, trans_b},
                             m, n, k, alpha, beta, c + i * stride_c, ldc};
  };
  const int threads = ctx.threads();
  const int per_product = gemm::useful_threads(problem(0), threads);
  // Side by side only when outputs cannot overlap and one product leaves threads idle.
  const bool disjoint = stride_c >= (m - 1) * ldc + n;
  if (batch == 1 || threads <= 1 || per_product >= threads || !disjoint || ctx.pool == nullptr) {
    for (size_t i = 0; i < batch; ++i) gemm::gemm_product(ctx, problem(i), {ctx.pool, per_product});
    return;
  }
  const size_t tasks = std::min(batch, 4 * static_cast<size_t>(threads));
  ctx.pool->run(static_cast<int>(tasks), [&](int task, int thread) {
    size_t begin = batch * size_t(task) / tasks, end = batch * size_t(task + 1) / tasks;
    for (size_t i = begin; i < end; ++i) gemm::gemm_product(ctx, problem(i), {nullptr, 1, thread});
  });
}

}  // namespace dendrite
