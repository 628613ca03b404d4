// One pool of worker threads shared by every kernel of an addon instance.
//
// run(tasks, fn) executes fn(task, thread) for every task in [0, tasks) on the
// calling thread plus the workers and returns when all are done. Concurrent
// callers (main thread and async work) are serialised; a call made from inside
// a task runs inline so nested parallel regions cannot deadlock.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "threadpool/cond_var.h"

namespace dendrite {

class ThreadPool {
 public:
  using Task = std::function<void(int task, int thread)>;

  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that run tasks, the caller included (>= 1).
  int size() const { return size_; }
  // Changes the thread count; waits for running work to finish first.
  void resize(int threads);
  void run(int tasks, const Task& fn);

  // Number of cores this process may use (>= 1).
  static int hardware_threads();

 private:
  void start_workers(int count);
  void stop_workers();
  void worker_loop(int thread, unsigned seen);
  void drain(const Task& fn, int tasks, int thread);

  int size_ = 1;
  std::vector<std::thread> workers_;
  std::mutex run_mutex_;  // one run() at a time

  std::mutex mutex_;
  CondVar wake_;
  CondVar done_;
  const Task* job_ = nullptr;
  int job_tasks_ = 0;
  std::atomic<int> next_task_{0};
  std::atomic<unsigned> generation_{0};
  // Written under mutex_; atomic so run() can poll it before sleeping.
  std::atomic<int> busy_workers_{0};
  bool stopping_ = false;
};

}  // namespace dendrite
