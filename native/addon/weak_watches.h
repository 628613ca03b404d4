// Weak references the tensor-memory cache polls to learn that a buffer's
// last typed array was garbage collected. They are cleared by the collector
// itself, synchronously, so a loop that never yields to the event loop still
// sees its dead buffers (FinalizationRegistry callbacks, and WeakRef targets
// created in the same job, wait for the event loop).
#pragma once

#include <napi.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace dendrite::addon {

class WeakWatches {
 public:
  // Watches `object` (held weakly); returns its slot.
  uint32_t watch(Napi::Object object) {
    Napi::ObjectReference ref = Napi::Weak(object);
    if (!free_.empty()) {
      uint32_t slot = free_.back();
      free_.pop_back();
      slots_[slot] = std::move(ref);
      return slot;
    }
    slots_.push_back(std::move(ref));
    return static_cast<uint32_t>(slots_.size() - 1);
  }

  // Whether `slot` watches something (an index handed out and not yet freed).
  bool in_use(uint32_t slot) const { return slot < slots_.size() && !slots_[slot].IsEmpty(); }

  // Whether the object watched at `slot` was collected.
  bool collected(uint32_t slot) const { return slots_[slot].Value().IsEmpty(); }

  // Stops watching `slot`; the slot is reused by a later watch.
  void forget(uint32_t slot) {
    slots_[slot].Reset();
    free_.push_back(slot);
  }

 private:
  std::vector<Napi::ObjectReference> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace dendrite::addon
