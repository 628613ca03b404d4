// Random words (family `random`):
//   philoxWords(out, key0, key1, firstBlock)
// fills out (a Uint32Array whose length is a multiple of 4) with the
// Philox4x32-10 blocks firstBlock, firstBlock + 1, … of key (key0, key1).
#include <cstdint>
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "random/philox_words.h"

namespace dendrite::addon {
namespace {

constexpr int64_t kMaxKey = 4294967295;              // uint32
constexpr int64_t kMaxBlock = 9007199254740991;      // 2^53 − 1: the counter stays exact in a JS number

Napi::Value philox_words_binding(const Napi::CallbackInfo& info) {
  const char* fn = "philoxWords";
  ArgReader args(info, fn, 4);
  auto out = args.uint32_array(0, "out");
  const uint32_t key0 = static_cast<uint32_t>(args.integer(1, "key0", 0, kMaxKey));
  const uint32_t key1 = static_cast<uint32_t>(args.integer(2, "key1", 0, kMaxKey));
  const int64_t first = args.integer(3, "firstBlock", 0, kMaxBlock);
  if (out.length % 4 != 0) {
    args.range_error(std::string(fn) + ": argument 'out' must hold whole blocks (a multiple of 4 words), got " +
                     std::to_string(out.length));
  }
  const size_t blocks = out.length / 4;
  if (static_cast<uint64_t>(first) + blocks > static_cast<uint64_t>(kMaxBlock) + 1) {
    args.range_error(std::string(fn) + ": blocks past 2^53 (firstBlock " + std::to_string(first) + " + " +
                     std::to_string(blocks) + " blocks)");
  }
  philox_words(AddonData::of(info.Env()).context(), key0, key1, static_cast<uint64_t>(first), out.data, blocks);
  return info.Env().Undefined();
}

}  // namespace

void register_random(Napi::Env env, Napi::Object exports) {
  exports.Set("philoxWords", make_function(env, "philoxWords", philox_words_binding));
}

}  // namespace dendrite::addon
