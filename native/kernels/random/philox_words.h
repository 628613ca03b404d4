// The random words behind dd.rand, dd.randn, dd.randint and the seeded
// shuffles: consecutive Philox4x32-10 blocks of one key, block b being
// philox4x32_10(counter (b as two 32-bit halves, 0, 0), key). Computing them
// here rather than in JavaScript makes drawing a large tensor's worth cheap
// (a JavaScript 64-bit multiply-high costs a dozen operations), and the
// words are the same for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

#include "context.h"

namespace dendrite {

// out[4·i .. 4·i+3] = the words of block first_block + i, for i < blocks.
void philox_words(const Context& ctx, uint32_t key0, uint32_t key1, uint64_t first_block, uint32_t* out,
                  size_t blocks);

}  // namespace dendrite
