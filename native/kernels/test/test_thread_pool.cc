#include <atomic>
#include <vector>

#include "context.h"
#include "test_harness.h"

using namespace dendrite;

TEST(thread_pool_runs_every_task_once) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    for (int tasks : {0, 1, 2, 7, 100}) {
      std::vector<std::atomic<int>> hits(tasks);
      for (int rep = 0; rep < 20; ++rep) {
        pool.run(tasks, [&](int t, int thread) {
          hits[t]++;
          CHECK(thread >= 0 && thread < threads) << "thread " << thread;
        });
      }
      for (int t = 0; t < tasks; ++t) CHECK(hits[t] == 20) << "threads " << threads << " task " << t;
    }
  }
}

TEST(thread_pool_nested_run_goes_inline) {
  ThreadPool pool(2);
  std::atomic<int> total{0};
  pool.run(4, [&](int, int) { pool.run(3, [&](int, int) { total++; }); });
  CHECK(total == 12);
}

TEST(thread_pool_resize) {
  ThreadPool pool(1);
  for (int n : {2, 4, 1, 2}) {
    pool.resize(n);
    CHECK(pool.size() == n);
    std::atomic<int> total{0};
    pool.run(50, [&](int, int) { total++; });
    CHECK(total == 50);
  }
}

TEST(parallel_for_covers_range) {
  ThreadPool pool(2);
  Context ctx;
  ctx.pool = &pool;
  for (size_t n : {0, 1, 5, 1000}) {
    std::vector<int> seen(n, 0);
    parallel_for(ctx, n, 3, [&](size_t b, size_t e, int) {
      for (size_t i = b; i < e; ++i) seen[i]++;
    });
    for (size_t i = 0; i < n; ++i) CHECK(seen[i] == 1) << "n=" << n << " i=" << i;
  }
}

TEST(workspace_grows_and_keeps_keys_apart) {
  Workspace ws;
  float* a = ws.get_as<float>(Workspace::key(kWsGemmPackA, 0), 100);
  float* b = ws.get_as<float>(Workspace::key(kWsGemmPackA, 1), 100);
  CHECK(a != b);
  CHECK(reinterpret_cast<uintptr_t>(a) % 64 == 0);
  CHECK(ws.get_as<float>(Workspace::key(kWsGemmPackA, 0), 50) == a) << "smaller request reuses";
  CHECK(ws.reserved_bytes() >= 800);
  ws.release_all();
  CHECK(ws.reserved_bytes() == 0);
}
