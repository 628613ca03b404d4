// Tensor-memory cache support (family `memory`):
//   memoryWatch(array) -> slot            holds the typed array `array` weakly
//   memorySweep(slots, count, dead) -> n  dead[i] = 1 where the object at
//                                         slots[i] was collected (those slots
//                                         are freed); returns how many
//   memoryForget(slot)                    stops watching a live object
// The cache (ts/memory/) watches each large typed array it hands out and
// keeps its ArrayBuffer; once the typed array is collected, nothing but the
// cache reaches that memory and it can be handed out again.
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"

namespace dendrite::addon {
namespace {

constexpr int64_t kMaxSlot = 4294967295;  // uint32

uint32_t slot_arg(const ArgReader& args, const WeakWatches& watches, int64_t value, const char* fn) {
  const auto slot = static_cast<uint32_t>(value);
  if (!watches.in_use(slot)) {
    args.range_error(std::string(fn) + ": slot " + std::to_string(value) + " is not being watched");
  }
  return slot;
}

Napi::Value memory_watch(const Napi::CallbackInfo& info) {
  ArgReader args(info, "memoryWatch", 1);
  // The cache watches typed arrays only; anything else is a caller's mistake.
  if (!info[0].IsTypedArray()) args.type_error("memoryWatch: argument 'array' must be a typed array");
  WeakWatches& watches = AddonData::of(info.Env()).weak_watches;
  return Napi::Number::New(info.Env(), watches.watch(info[0].As<Napi::Object>()));
}

Napi::Value memory_sweep(const Napi::CallbackInfo& info) {
  const char* fn = "memorySweep";
  ArgReader args(info, fn, 3);
  auto slots = args.int32_array(0, "slots");
  const size_t count = args.size(1, "count");
  auto dead = args.uint8_array(2, "dead");
  args.require_length(slots, count, "slots");
  args.require_length(dead, count, "dead");
  WeakWatches& watches = AddonData::of(info.Env()).weak_watches;
  // Every slot is checked before any is freed, so a bad one changes nothing.
  for (size_t i = 0; i < count; i++) slot_arg(args, watches, static_cast<uint32_t>(slots.data[i]), fn);
  size_t collected = 0;
  for (size_t i = 0; i < count; i++) {
    Napi::HandleScope scope(info.Env());
    const auto slot = static_cast<uint32_t>(slots.data[i]);
    // A slot listed twice was freed by its first entry.
    const bool gone = watches.in_use(slot) && watches.collected(slot);
    dead.data[i] = gone ? 1 : 0;
    if (gone) {
      watches.forget(slot);
      collected++;
    }
  }
  return Napi::Number::New(info.Env(), static_cast<double>(collected));
}

Napi::Value memory_forget(const Napi::CallbackInfo& info) {
  const char* fn = "memoryForget";
  ArgReader args(info, fn, 1);
  WeakWatches& watches = AddonData::of(info.Env()).weak_watches;
  watches.forget(slot_arg(args, watches, args.integer(0, "slot", 0, kMaxSlot), fn));
  return info.Env().Undefined();
}

}  // namespace

void register_memory(Napi::Env env, Napi::Object exports) {
  exports.Set("memoryWatch", make_function(env, "memoryWatch", memory_watch));
  exports.Set("memorySweep", make_function(env, "memorySweep", memory_sweep));
  exports.Set("memoryForget", make_function(env, "memoryForget", memory_forget));
}

}  // namespace dendrite::addon
