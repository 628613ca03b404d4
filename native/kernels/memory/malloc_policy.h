// How glibc's malloc treats tensor-sized blocks in this process.
//
// Typed arrays are allocated by malloc and freed only when V8's garbage
// collector finds them dead, tens of megabytes at a time. glibc then returns
// the freed top of its heap to the OS (its trim threshold is twice its mmap
// threshold, a few hundred KiB to 64 MiB), and every later allocation of
// that memory faults its pages in again: 2.5 to 12 µs per 4 KiB page on the
// machines measured, more than the arithmetic of a 256×256 matrix product.
// A larger trim threshold and a fixed mmap threshold keep that memory in
// the heap for the next tensors; the memory cache (ts/memory/) handles
// blocks of 2 MiB and more on its own. This is process-wide, so it is
// applied once, and left alone where the user configured malloc
// (GLIBC_TUNABLES) or turned it off (DENDRITE_MALLOC_TUNING=0).
#pragma once

namespace dendrite {

enum class MallocPolicy {
  Tuned,        // the thresholds below were set
  Off,          // DENDRITE_MALLOC_TUNING=0
  User,         // GLIBC_TUNABLES sets malloc's own options: those rule
  Unsupported,  // not glibc (musl, macOS, Windows)
};

// Blocks of this size and more are mmap'd (and unmapped when freed).
constexpr int kMallocMmapThreshold = 4 << 20;
// Free memory at the top of the heap beyond this is given back to the OS.
constexpr int kMallocTrimThreshold = 128 << 20;

const char* malloc_policy_name(MallocPolicy policy);

// What apply_malloc_policy would do given the two environment variables'
// values (nullptr when unset), on a glibc system.
MallocPolicy decide_malloc_policy(const char* dendrite_malloc_tuning, const char* glibc_tunables);

// Decides from the environment and applies the policy, the first time it is
// called in the process; every call returns that first decision.
MallocPolicy apply_malloc_policy();

}  // namespace dendrite
