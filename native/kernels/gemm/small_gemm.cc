// Threading of the small-product path: the columns of C are split into parts
// of whole strips, four per thread, which the threads claim as they go; a
// thread the OS delays then holds up only a small part.
#include <algorithm>

#include "gemm/gemm_driver.h"

namespace dendrite::gemm {

void small_gemm(const GemmKernels& kernels, const GemmProblem& pr, GemmThreads threads) {
  constexpr size_t kStrip = 64;  // columns: parts are whole numbers of vectors
  const size_t strips = (pr.n + kStrip - 1) / kStrip;
  const size_t count = static_cast<size_t>(std::max(1, threads.count));
  const size_t parts = std::min(count == 1 ? 1 : 4 * count, strips);
  auto part = [&](size_t t) {
    size_t j0 = strips * t / parts * kStrip;
    size_t j1 = std::min(pr.n, strips * (t + 1) / parts * kStrip);
    if (j0 >= j1) return;
    Operand b = pr.b;
    b.data += b.trans ? j0 * b.ld : j0;
    kernels.small_gemm(pr.a, b, pr.m, j1 - j0, pr.k, pr.alpha, pr.beta, pr.c + j0, pr.ldc);
  };
  if (parts <= 1 || threads.pool == nullptr) {
    part(0);
    return;
  }
  threads.pool->run(static_cast<int>(parts), [&](int t, int) { part(static_cast<size_t>(t)); });
}

}  // namespace dendrite::gemm
