#include <cstdlib>
#include <cstring>

#include "memory/malloc_policy.h"
#include "test_harness.h"

using namespace dendrite;

TEST(malloc_policy_follows_the_environment) {
  CHECK(decide_malloc_policy(nullptr, nullptr) == MallocPolicy::Tuned);
  CHECK(decide_malloc_policy("1", nullptr) == MallocPolicy::Tuned);
  CHECK(decide_malloc_policy("0", nullptr) == MallocPolicy::Off);
  CHECK(decide_malloc_policy("0", "glibc.malloc.trim_threshold=1") == MallocPolicy::Off);
  CHECK(decide_malloc_policy(nullptr, "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736") == MallocPolicy::User);
  // Tunables of other glibc parts leave malloc's defaults to us.
  CHECK(decide_malloc_policy(nullptr, "glibc.cpu.hwcaps=-AVX512F") == MallocPolicy::Tuned);
  CHECK(decide_malloc_policy("", "") == MallocPolicy::Tuned);
  CHECK(std::strcmp(malloc_policy_name(MallocPolicy::User), "user") == 0);
}

// Sanitizers replace malloc, and their mallopt refuses: the policy is then 'unsupported'.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DENDRITE_TEST_MALLOC_REPLACED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || __has_feature(thread_sanitizer)
#define DENDRITE_TEST_MALLOC_REPLACED 1
#endif
#endif

TEST(malloc_policy_is_decided_once_per_process) {
  const MallocPolicy first = apply_malloc_policy();
#if defined(__GLIBC__)
  const MallocPolicy decided = decide_malloc_policy(std::getenv("DENDRITE_MALLOC_TUNING"), std::getenv("GLIBC_TUNABLES"));
#if defined(DENDRITE_TEST_MALLOC_REPLACED)
  if (decided == MallocPolicy::Tuned) {
    CHECK(first == MallocPolicy::Unsupported) << "got " << malloc_policy_name(first);
  } else {
    CHECK(first == decided) << "got " << malloc_policy_name(first);
  }
#else
  CHECK(first == decided) << "got " << malloc_policy_name(first);
#endif
#else
  CHECK(first == MallocPolicy::Unsupported);
#endif
  CHECK(apply_malloc_policy() == first);
}
