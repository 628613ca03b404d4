// Cache blocking for the packed driver, from the sizes of this CPU's caches.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <unistd.h>
#endif

#include "gemm/gemm_kernels.h"

namespace dendrite::gemm {

namespace {

// Sizes assumed when the system does not say. x86: the smallest L1/L2 of the
// AVX2 cores in use. Arm64: 64 KiB L1d and 1 MiB L2 per core, as on the
// Neoverse N1/V1/V2 servers (Graviton 2-4, Ampere Altra) and what Apple's
// cores exceed (a smaller core whose caches are not listed gets a kc deeper
// than its L1 likes: slower, never wrong).
#if defined(__aarch64__) || defined(_M_ARM64)
constexpr long kFallbackL1 = 64 << 10, kFallbackL2 = 1 << 20;
#else
constexpr long kFallbackL1 = 32 << 10, kFallbackL2 = 512 << 10;
#endif

#if defined(__linux__)
// The data (or unified) cache of `level` as Linux lists it for cpu0, in
// bytes, or 0. glibc's sysconf answers only on x86; on arm64 the kernel
// still lists the caches the firmware describes.
long sysfs_cache_bytes(int level) {
  for (int index = 0; index < 8; ++index) {
    char path[96], text[32];
    auto read = [&](const char* field) {
      std::snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/%s", index, field);
      std::FILE* f = std::fopen(path, "r");
      if (f == nullptr) return false;
      const bool ok = std::fgets(text, sizeof text, f) != nullptr;
      std::fclose(f);
      return ok;
    };
    if (!read("level") || std::atoi(text) != level) continue;
    if (!read("type") || std::strncmp(text, "Instruction", 11) == 0) continue;
    if (!read("size")) continue;
    char* unit = nullptr;
    const long v = std::strtol(text, &unit, 10);
    if (v <= 0) continue;
    if (*unit == 'K') return v << 10;
    if (*unit == 'M') return v << 20;
    return v;
  }
  return 0;
}
#endif

long cache_bytes(int level, long fallback) {
#if defined(__linux__) && defined(_SC_LEVEL1_DCACHE_SIZE)
  const long v = sysconf(level == 1 ? _SC_LEVEL1_DCACHE_SIZE : _SC_LEVEL2_CACHE_SIZE);
  if (v > 0) return v;
#endif
#if defined(__linux__)
  const long listed = sysfs_cache_bytes(level);
  if (listed > 0) return listed;
#endif
  (void)level;
  return fallback;
}

}  // namespace

GemmBlocking default_blocking(size_t mr, size_t nr) {
  const long l1 = cache_bytes(1, kFallbackL1);
  const long l2 = cache_bytes(2, kFallbackL2);
  GemmBlocking b;
  // One kc×NR micro-panel of B (reused by every micro-kernel call of a jr
  // step) takes at most half of L1, leaving room for the A micro-panels
  // streaming through.
  b.kc = std::clamp<size_t>(static_cast<size_t>(l1) / 2 / (nr * sizeof(float)) / 64 * 64, 128, 512);
  // The mc×kc block of A takes at most about a quarter of L2: B micro-panels
  // and C tiles stream through it too.
  size_t mc = static_cast<size_t>(l2) / 4 / (b.kc * sizeof(float));
  b.mc = std::clamp<size_t>(mc / mr * mr, 4 * mr, 64 * mr);
  // The kc×nc panel of B fits in what L2 has left beside the A block, so
  // packing writes it to L2 and the micro-kernels read it back from there
  // (measured: 64×4096·4096×4096 runs a third faster than with nc = 4096,
  // larger products the same).
  size_t nc = static_cast<size_t>(l2) * 3 / 4 / (b.kc * sizeof(float));
  b.nc = std::clamp<size_t>(nc / nr * nr, 32 * nr, 256 * nr);
  return b;
}

}  // namespace dendrite::gemm
