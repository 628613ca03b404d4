// The BLIS five-loop driver: jc over N (by nc) → pc over K (by kc; pack a
// kc×nc panel of B, shared by all threads) → ic over M (by mc; each thread
// packs its own mc×kc block of A) → jr over the B micro-panels → ir over the
// A micro-panels → micro-kernel. Threads split the ic loop, and the jr loop
// as well when M has too few blocks to give each thread two; never pc, so
// each element of C is summed in the same order whatever the thread count
// (results are bit-identical for any number of threads).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "gemm/gemm_driver.h"

namespace dendrite::gemm {

namespace {

size_t ceil_div(size_t a, size_t b) { return (a + b - 1) / b; }
size_t round_up(size_t a, size_t b) { return ceil_div(a, b) * b; }

// op(X)(row, col) moved to the start of the operand.
Operand offset(Operand x, size_t row, size_t col) {
  x.data += x.trans ? col * x.ld + row : row * x.ld + col;
  return x;
}

// Runs fn(task, thread) for every task, on the pool when there is more than one.
template <class Fn>
void run_tasks(GemmThreads threads, size_t tasks, Fn&& fn) {
  if (tasks == 0) return;
  if (threads.count <= 1 || tasks == 1 || threads.pool == nullptr) {
    for (size_t t = 0; t < tasks; ++t) fn(t, threads.slot);
    return;
  }
  threads.pool->run(static_cast<int>(tasks), [&](int task, int thread) { fn(size_t(task), thread); });
}

// C block += A block (packed, mc rows) × B micro-panels [q0, q1) (packed).
void macro_kernel(const GemmKernels& kernels, size_t kc, const float* a_pack, size_t mc,
                  const float* b_pack, size_t q0, size_t q1, size_t nc, float* c, size_t ldc,
                  float alpha, float beta) {
  const size_t kMR = kernels.mr, kNR = kernels.nr;
  for (size_t q = q0; q < q1; ++q) {
    size_t nr = std::min(kNR, nc - q * kNR);
    const float* b_panel = b_pack + q * kNR * kc;
    for (size_t ir = 0; ir < mc; ir += kMR) {
      size_t mr = std::min(kMR, mc - ir);
      const float* a_panel = a_pack + ir * kc;
      bool last_row = ir + kMR >= mc;
      const float* a_next = last_row ? a_pack : a_panel + kMR * kc;
      const float* b_next = last_row ? b_panel + kNR * kc : b_panel;
      kernels.micro_kernel(kc, a_panel, b_panel, c + ir * ldc + q * kNR, ldc, alpha, beta, mr, nr,
                           a_next, b_next);
    }
  }
}

}  // namespace

void packed_gemm(const GemmKernels& kernels, const GemmProblem& pr, GemmThreads threads,
                 Workspace& workspace) {
  const GemmBlocking& blocking = kernels.blocking;
  const size_t kMR = kernels.mr, kNR = kernels.nr;
  const size_t nthreads = static_cast<size_t>(std::max(1, threads.count));
  // K in equal blocks no longer than blocking.kc (288 = 2 × 144, not 192 + 96):
  // a short last block would run the micro-kernel at a fraction of its speed.
  const size_t k_blocks = ceil_div(pr.k, blocking.kc);
  const size_t kc_max = std::min(round_up(ceil_div(pr.k, k_blocks), 8), pr.k);
  const size_t nc_max = std::min(blocking.nc, round_up(pr.n, kNR));

  // Blocks of M: as few as the mc limit allows, each a whole number of
  // micro-panels; with several threads, a multiple of the thread count and
  // two per thread where blocks stay at least kMinRows tall, so a thread
  // that the OS delays holds up less of the work.
  const size_t kMinRows = 8 * kMR;
  size_t m_blocks = ceil_div(pr.m, blocking.mc);
  if (nthreads > 1) {
    size_t want = std::min(2 * nthreads, std::max<size_t>(1, pr.m / kMinRows));
    m_blocks = round_up(std::max(m_blocks, want), nthreads);
  }
  const size_t mc = std::min(round_up(ceil_div(pr.m, m_blocks), kMR), round_up(pr.m, kMR));
  m_blocks = ceil_div(pr.m, mc);
  // With fewer M blocks than twice the threads, the jr loop is split too.
  const size_t n_splits = nthreads == 1 || m_blocks >= 2 * nthreads ? 1 : ceil_div(2 * nthreads, m_blocks);

  float* b_pack =
      workspace.get_as<float>(Workspace::key(kWsGemmPackB, threads.slot), kc_max * nc_max + kPackSlack);
  // Per pool thread: its A buffer and which M block it holds (packed for the current pc).
  struct ThreadState {
    float* a_pack = nullptr;
    size_t block = SIZE_MAX;
  };
  const size_t pool_threads = threads.pool ? static_cast<size_t>(threads.pool->size()) : 1;
  const size_t states = std::max(pool_threads, static_cast<size_t>(threads.slot) + 1);
  // On the stack for usual thread counts: small products should not pay for an allocation.
  ThreadState local_states[16];
  std::vector<ThreadState> heap_states(states > 16 ? states : 0);
  ThreadState* state = states > 16 ? heap_states.data() : local_states;

  for (size_t jc = 0; jc < pr.n; jc += nc_max) {
    const size_t nc = std::min(nc_max, pr.n - jc);
    const size_t panels = ceil_div(nc, kNR);
    for (size_t pc = 0; pc < pr.k; pc += kc_max) {
      const size_t kc = std::min(kc_max, pr.k - pc);
      const float beta = pc == 0 ? pr.beta : 1.0f;

      // Pack the kc×nc panel of B, the micro-panels split among the threads.
      const Operand b = offset(pr.b, pc, jc);
      const size_t pack_tasks = std::min(nthreads == 1 ? 1 : 2 * nthreads, panels);
      run_tasks(threads, pack_tasks, [&](size_t t, int) {
        size_t q0 = panels * t / pack_tasks, q1 = panels * (t + 1) / pack_tasks;
        if (q0 == q1) return;
        size_t cols = std::min(nc, q1 * kNR) - q0 * kNR;
        kernels.pack_b(offset(b, 0, q0 * kNR), kc, cols, b_pack + q0 * kNR * kc);
      });

      for (size_t t = 0; t < states; ++t) state[t].block = SIZE_MAX;
      const Operand a = offset(pr.a, 0, pc);
      run_tasks(threads, m_blocks * n_splits, [&](size_t t, int thread) {
        const size_t block = t / n_splits, split = t % n_splits;
        const size_t ic = block * mc;
        const size_t rows = std::min(mc, pr.m - ic);
        ThreadState& s = state[static_cast<size_t>(thread)];
        if (s.block != block) {
          s.a_pack = workspace.get_as<float>(Workspace::key(kWsGemmPackA, thread), mc * kc_max + kPackSlack);
          kernels.pack_a(offset(a, ic, 0), rows, kc, s.a_pack);
          s.block = block;
        }
        size_t q0 = panels * split / n_splits, q1 = panels * (split + 1) / n_splits;
        macro_kernel(kernels, kc, s.a_pack, rows, b_pack, q0, q1, nc, pr.c + ic * pr.ldc + jc, pr.ldc,
                     pr.alpha, beta);
      });
    }
  }
}

}  // namespace dendrite::gemm
