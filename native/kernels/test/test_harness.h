// A minimal test harness for the kernel library (no external dependency):
// TEST(name) { ... CHECK(cond) << "context"; } and a main() that runs them all.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "cpu/isa.h"

namespace dendrite_test {

// Every ISA this CPU runs, scalar first: each kernel test checks every path.
// DENDRITE_FORCE_SCALAR=1 (ctest's kernels_scalar run) leaves only the scalar one.
inline std::vector<dendrite::Isa> supported_isas() {
  const char* force = std::getenv("DENDRITE_FORCE_SCALAR");
  if (force != nullptr && std::string(force) == "1") return {dendrite::Isa::Scalar};
  std::vector<dendrite::Isa> out;
  for (dendrite::Isa isa : {dendrite::Isa::Scalar, dendrite::Isa::Avx2, dendrite::Isa::Avx512,
                            dendrite::Isa::Neon}) {
    if (dendrite::cpu_supports(isa)) out.push_back(isa);
  }
  return out;
}

struct Registry {
  std::vector<std::pair<std::string, std::function<void()>>> tests;
  static Registry& get() {
    static Registry r;
    return r;
  }
};

struct Failure {
  Failure(int* failures, const char* file, int line, const char* expr)
      : failures(failures), file(file), line(line), expr(expr) {}
  int* failures;
  const char* file;
  int line;
  const char* expr;
  std::ostringstream msg;
  ~Failure() {
    ++*failures;
    std::fprintf(stderr, "%s:%d: CHECK(%s) failed %s\n", file, line, expr, msg.str().c_str());
  }
  template <class T>
  Failure& operator<<(const T& v) {
    msg << v;
    return *this;
  }
};

inline int& failure_count() {
  static int n = 0;
  return n;
}

struct Registrar {
  Registrar(const char* name, std::function<void()> fn) {
    Registry::get().tests.emplace_back(name, std::move(fn));
  }
};

// Runs every registered test whose name contains `filter` (all when null).
inline int run_all(const char* filter = nullptr) {
  int failed_tests = 0;
  size_t ran = 0;
  for (auto& [name, fn] : Registry::get().tests) {
    if (filter != nullptr && name.find(filter) == std::string::npos) continue;
    ++ran;
    int before = failure_count();
    fn();
    bool ok = failure_count() == before;
    if (!ok) ++failed_tests;
    std::printf("[%s] %s\n", ok ? "pass" : "FAIL", name.c_str());
  }
  std::printf("%zu passed, %d failed\n", ran - failed_tests, failed_tests);
  return failed_tests == 0 ? 0 : 1;
}

}  // namespace dendrite_test

#define TEST(name)                                                            \
  static void name();                                                         \
  static dendrite_test::Registrar name##_registrar(#name, name);              \
  static void name()

#define CHECK(cond)  \
  if (cond) {        \
  } else             \
    dendrite_test::Failure(&dendrite_test::failure_count(), __FILE__, __LINE__, #cond)
