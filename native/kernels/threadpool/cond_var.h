// A condition variable for std::mutex that waits through pthread_cond_wait
// itself where there is one. libstdc++ 12 moved std::condition_variable::wait
// to a new symbol version (GLIBCXX_3.4.30); a binary that calls it does not
// load where the system's libstdc++ is older (RHEL and Rocky 9, Amazon Linux
// 2023, Ubuntu 20.04, Debian 11), which is most servers today. The pool's
// waits are the only use of that symbol, so the prebuilt binaries avoid it
// here. Elsewhere (Windows) it is std::condition_variable.
#pragma once

#include <mutex>

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#define DENDRITE_COND_VAR_PTHREAD 1
#else
#include <condition_variable>
#endif

namespace dendrite {

#if DENDRITE_COND_VAR_PTHREAD

class CondVar {
 public:
  CondVar() = default;
  ~CondVar() { pthread_cond_destroy(&cond_); }
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Blocks until woken and `ready()` holds; `lock` holds the mutex on entry and on return.
  template <class Ready>
  void wait(std::unique_lock<std::mutex>& lock, Ready ready) {
    while (!ready()) pthread_cond_wait(&cond_, lock.mutex()->native_handle());
  }
  void notify_one() { pthread_cond_signal(&cond_); }
  void notify_all() { pthread_cond_broadcast(&cond_); }

 private:
  pthread_cond_t cond_ = PTHREAD_COND_INITIALIZER;
};

#else

using CondVar = std::condition_variable;

#endif

}  // namespace dendrite
