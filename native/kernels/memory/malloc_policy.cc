#include "memory/malloc_policy.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dendrite {

const char* malloc_policy_name(MallocPolicy policy) {
  switch (policy) {
    case MallocPolicy::Tuned:
      return "tuned";
    case MallocPolicy::Off:
      return "off";
    case MallocPolicy::User:
      return "user";
    case MallocPolicy::Unsupported:
      return "unsupported";
  }
  return "unsupported";
}

MallocPolicy decide_malloc_policy(const char* dendrite_malloc_tuning, const char* glibc_tunables) {
  if (dendrite_malloc_tuning != nullptr && std::strcmp(dendrite_malloc_tuning, "0") == 0) return MallocPolicy::Off;
  if (glibc_tunables != nullptr && std::strstr(glibc_tunables, "glibc.malloc.") != nullptr) return MallocPolicy::User;
  return MallocPolicy::Tuned;
}

namespace {

MallocPolicy decide_and_apply() {
#if defined(__GLIBC__)
  MallocPolicy policy = decide_malloc_policy(std::getenv("DENDRITE_MALLOC_TUNING"), std::getenv("GLIBC_TUNABLES"));
  if (policy == MallocPolicy::Tuned) {
    // Setting either stops glibc's own moving of both thresholds, so both are set.
    const bool ok = mallopt(M_MMAP_THRESHOLD, kMallocMmapThreshold) == 1 &&
                    mallopt(M_TRIM_THRESHOLD, kMallocTrimThreshold) == 1;
    if (!ok) policy = MallocPolicy::Unsupported;
  }
  return policy;
#else
  return MallocPolicy::Unsupported;
#endif
}

}  // namespace

MallocPolicy apply_malloc_policy() {
  // A function-local static runs once even with threads racing to it, and
  // needs no pthread_once (whose symbol would raise the binary's glibc floor to 2.34).
  static const MallocPolicy applied = decide_and_apply();
  return applied;
}

}  // namespace dendrite
