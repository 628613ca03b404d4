#include "memory/workspace.h"

#include <cstdlib>
#include <new>
#if defined(_WIN32)
#include <malloc.h>
#endif

namespace dendrite {

// C++17's std::aligned_alloc is missing from the Windows C runtimes (its free
// cannot release aligned blocks), which have their own aligned pair.
static void* allocate_aligned(size_t alignment, size_t bytes) {
#if defined(_WIN32)
  return _aligned_malloc(bytes, alignment);
#else
  return std::aligned_alloc(alignment, bytes);
#endif
}

void Workspace::AlignedFree::operator()(void* p) const {
#if defined(_WIN32)
  _aligned_free(p);
#else
  std::free(p);
#endif
}

void* Workspace::get(uint32_t key, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  Buffer& buf = buffers_[key];
  if (buf.bytes >= bytes && buf.data) return buf.data.get();
  // Grow by at least half again so slowly growing requests do not reallocate each time.
  size_t want = bytes + bytes / 2;
  if (want < bytes) want = bytes;  // overflow guard
  size_t rounded = (want + 63) & ~size_t{63};
  if (rounded < want) throw std::bad_alloc();
  void* p = allocate_aligned(64, rounded == 0 ? 64 : rounded);
  if (p == nullptr) throw std::bad_alloc();
  reserved_ -= buf.bytes;
  buf.data.reset(p);
  buf.bytes = rounded;
  reserved_ += rounded;
  return p;
}

size_t Workspace::reserved_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reserved_;
}

void Workspace::release_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  buffers_.clear();
  reserved_ = 0;
}

}  // namespace dendrite
