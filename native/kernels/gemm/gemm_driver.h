// The two ways gemm_f32 computes a product, both generic over the kernel
// table of one ISA: the packed BLIS-style driver for everything sizeable, and
// the small-product path that reads the operands in place.
#pragma once

#include <cstddef>

#include "context.h"
#include "gemm/gemm_kernels.h"
#include "memory/workspace.h"
#include "threadpool/thread_pool.h"

namespace dendrite::gemm {

// C[m×n] = alpha · op(A)·op(B) + beta · C; a and b point at op(X)(0, 0).
struct GemmProblem {
  Operand a;
  Operand b;
  size_t m, n, k;
  float alpha, beta;
  float* c;
  size_t ldc;
};

// Threads to run the work on (`pool` may be nullptr when count == 1). A
// product run on one thread uses the workspace buffers of thread `slot`, so
// several single-threaded products can run at once (one per pool thread).
struct GemmThreads {
  ThreadPool* pool;
  int count;
  int slot = 0;
};

// Threads worth using for a product (at least 1, at most `available`).
int useful_threads(const GemmProblem& problem, int available);

// The whole product on up to threads.count threads: degenerate cases, path
// choice, thread count, scratch.
void gemm_product(const Context& ctx, const GemmProblem& problem, GemmThreads threads);

void packed_gemm(const GemmKernels& kernels, const GemmProblem& problem, GemmThreads threads,
                 Workspace& workspace);

void small_gemm(const GemmKernels& kernels, const GemmProblem& problem, GemmThreads threads);

}  // namespace dendrite::gemm
