#include "random/philox_words.h"

#include "dropout/philox.h"

namespace dendrite {
namespace {

// Blocks per task: a block is about 40 multiply rounds, so below this another thread costs more than it saves.
constexpr size_t kMinTaskBlocks = size_t{1} << 14;

}  // namespace

void philox_words(const Context& ctx, uint32_t key0, uint32_t key1, uint64_t first_block, uint32_t* out,
                  size_t blocks) {
  parallel_for(ctx, blocks, kMinTaskBlocks, [&](size_t b0, size_t b1, int) {
    for (size_t b = b0; b < b1; ++b) {
      const uint64_t counter = first_block + b;
      const PhiloxBlock block = philox4x32_10(
          PhiloxBlock{{static_cast<uint32_t>(counter), static_cast<uint32_t>(counter >> 32), 0, 0}}, key0, key1);
      for (int w = 0; w < 4; ++w) out[4 * b + w] = block.word[w];
    }
  });
}

}  // namespace dendrite
