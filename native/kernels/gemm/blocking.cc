// Cache blocking for the packed driver, from the sizes of this CPU's caches.
#include <algorithm>

#if defined(__linux__)
#include <unistd.h>
#endif

#include "gemm/gemm_kernels.h"

namespace dendrite::gemm {

namespace {

long cache_bytes(int name, long fallback) {
#if defined(__linux__) && defined(_SC_LEVEL1_DCACHE_SIZE)
  long v = sysconf(name);
  if (v > 0) return v;
#endif
  (void)name;
  return fallback;
}

}  // namespace

GemmBlocking default_blocking(size_t mr, size_t nr) {
#if defined(__linux__) && defined(_SC_LEVEL1_DCACHE_SIZE)
  const long l1 = cache_bytes(_SC_LEVEL1_DCACHE_SIZE, 32 << 10);
  const long l2 = cache_bytes(_SC_LEVEL2_CACHE_SIZE, 512 << 10);
#else
  const long l1 = 32 << 10, l2 = 512 << 10;
#endif
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
