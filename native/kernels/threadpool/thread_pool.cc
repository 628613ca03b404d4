#include "threadpool/thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__linux__)
#include <sched.h>
#endif

namespace dendrite {

namespace {
// Set while a thread executes pool tasks, so nested run() calls go inline.
thread_local bool inside_pool_task = false;
// How long an idle worker polls for new work before sleeping: per-batch ops
// arrive microseconds apart, and a futex wake-up costs more than that.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);
}  // namespace

int ThreadPool::hardware_threads() {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ThreadPool::ThreadPool(int threads) { resize(threads); }

ThreadPool::~ThreadPool() {
  std::lock_guard<std::mutex> serial(run_mutex_);
  stop_workers();
}

void ThreadPool::resize(int threads) {
  std::lock_guard<std::mutex> serial(run_mutex_);
  threads = std::max(1, threads);
  if (threads == size_ && static_cast<int>(workers_.size()) == threads - 1) return;
  stop_workers();
  size_ = threads;
  start_workers(threads - 1);
}

void ThreadPool::start_workers(int count) {
  stopping_ = false;
  // Workers start from the generation of now: one that starts late must still
  // see every later job, and the stop signal.
  unsigned start = generation_.load(std::memory_order_acquire);
  for (int i = 0; i < count; ++i) workers_.emplace_back([this, i, start] { worker_loop(i + 1, start); });
}

void ThreadPool::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void ThreadPool::drain(const Task& fn, int tasks, int thread) {
  for (;;) {
    int task = next_task_.fetch_add(1, std::memory_order_relaxed);
    if (task >= tasks) break;
    fn(task, thread);
  }
}

void ThreadPool::worker_loop(int thread, unsigned seen) {
  inside_pool_task = true;
  for (;;) {
    // Poll briefly, then sleep until the generation changes.
    auto until = std::chrono::steady_clock::now() + kSpinBeforeSleep;
    while (generation_.load(std::memory_order_acquire) == seen &&
           std::chrono::steady_clock::now() < until) {
#if defined(__x86_64__)
      __builtin_ia32_pause();
#endif
    }
    const Task* job;
    int tasks;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      seen = generation_.load(std::memory_order_acquire);
      if (stopping_) return;
      // A worker waking after its job completed finds no job (or the next one).
      job = job_;
      tasks = job_tasks_;
      if (job == nullptr) continue;
      ++busy_workers_;
    }
    drain(*job, tasks, thread);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--busy_workers_ == 0) done_.notify_one();
    }
  }
}

void ThreadPool::run(int tasks, const Task& fn) {
  if (tasks <= 0) return;
  if (inside_pool_task || tasks == 1 || workers_.empty()) {
    for (int t = 0; t < tasks; ++t) fn(t, 0);
    return;
  }
  std::lock_guard<std::mutex> serial(run_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_tasks_ = tasks;
    next_task_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  inside_pool_task = true;
  drain(fn, tasks, 0);
  inside_pool_task = false;
  // Every task has been claimed; wait for workers still finishing theirs, and
  // for late wakers (who will find no task left) to check out. Poll briefly
  // first: the last worker usually finishes within microseconds, and sleeping
  // on the condition variable costs far more than that on a busy machine.
  auto until = std::chrono::steady_clock::now() + kSpinBeforeSleep;
  while (busy_workers_.load(std::memory_order_acquire) != 0 && std::chrono::steady_clock::now() < until) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return busy_workers_ == 0; });
  job_ = nullptr;
}

}  // namespace dendrite
