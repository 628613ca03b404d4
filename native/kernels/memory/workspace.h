// Scratch memory for kernels (GEMM packing panels, im2col columns, ...).
//
// Buffers are keyed, 64-byte aligned and only ever grow, so steady-state
// training allocates nothing: fresh pages cost far more than the math on
// them. Distinct keys never alias; a kernel running on several threads uses
// one key per thread (see key()). reserved_bytes() lets the owner report the
// total to the JS garbage collector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace dendrite {

class Workspace {
 public:
  Workspace() = default;
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  // Key for buffer `purpose` used by `thread`.
  static uint32_t key(uint32_t purpose, int thread) {
    return (purpose << 8) | static_cast<uint32_t>(thread & 0xff);
  }

  // A buffer of at least `bytes` for `key`; contents are unspecified. Throws
  // std::bad_alloc when memory runs out.
  void* get(uint32_t key, size_t bytes);
  template <class T>
  T* get_as(uint32_t key, size_t count) {
    return static_cast<T*>(get(key, count * sizeof(T)));
  }

  size_t reserved_bytes() const;
  // Frees every buffer (e.g. after a one-off huge call).
  void release_all();

 private:
  struct AlignedFree {
    void operator()(void* p) const;
  };
  struct Buffer {
    std::unique_ptr<void, AlignedFree> data;
    size_t bytes = 0;
  };
  mutable std::mutex mutex_;
  std::map<uint32_t, Buffer> buffers_;
  size_t reserved_ = 0;
};

// Purposes of workspace buffers, one per kernel use, so none alias.
enum WorkspacePurpose : uint32_t {
  kWsGemmPackA = 1,
  kWsGemmPackB = 2,
  kWsGemmEdge = 3,
  kWsIm2col = 16,
  kWsConvTemp = 17,
  kWsConvTemp2 = 18,
  kWsConvTemp3 = 19,
  kWsWinogradPositions = 20,
  kWsWinogradFilters = 21,
  kWsWinogradTiles = 22,
  kWsWinogradProducts = 23,
  kWsWinogradPartials = 24,
  kWsDepthwisePlanes = 25,
  kWsDepthwisePartials = 26,
  kWsReduce = 32,
  kWsInferFilters = 40,
  kWsInferTiles = 41,
  kWsInferProducts = 42,
  kWsInferRows = 43,
  kWsInferPlanes = 44,
  kWsInferPadded = 45,
};

}  // namespace dendrite
