// What every kernel receives: which ISA to run, the thread pool, and scratch memory.
// Owned by the caller (the addon keeps one per Node environment), so kernels
// hold no global state.
#pragma once

#include <cstddef>

#include "cpu/isa.h"
#include "memory/workspace.h"
#include "threadpool/thread_pool.h"

namespace dendrite {

struct Context {
  Isa isa = Isa::Scalar;
  ThreadPool* pool = nullptr;       // nullptr: run on the calling thread only
  Workspace* workspace = nullptr;   // must be set for kernels that need scratch

  int threads() const { return pool ? pool->size() : 1; }
};

// Splits [0, n) into contiguous chunks of at least `min_chunk` items, at most
// one per thread, and calls fn(begin, end, thread) for each.
template <class Fn>
void parallel_for(const Context& ctx, size_t n, size_t min_chunk, Fn&& fn) {
  if (n == 0) return;
  if (min_chunk == 0) min_chunk = 1;
  size_t chunks = (n + min_chunk - 1) / min_chunk;
  size_t threads = static_cast<size_t>(ctx.threads());
  if (chunks > threads) chunks = threads;
  if (chunks <= 1 || ctx.pool == nullptr) {
    fn(size_t{0}, n, 0);
    return;
  }
  size_t per = (n + chunks - 1) / chunks;
  ctx.pool->run(static_cast<int>(chunks), [&](int task, int thread) {
    size_t begin = static_cast<size_t>(task) * per;
    size_t end = begin + per < n ? begin + per : n;
    if (begin < end) fn(begin, end, thread);
  });
}

}  // namespace dendrite
