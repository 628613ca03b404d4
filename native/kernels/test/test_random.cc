// philox_words: the blocks of one key, in order, from any first block
// (including counters that carry into the high word), the same for any
// thread count.
#include <cstdint>
#include <vector>

#include "context.h"
#include "dropout/philox.h"
#include "random/philox_words.h"
#include "test_harness.h"

using namespace dendrite;

TEST(philox_words_are_consecutive_blocks_for_any_start_and_thread_count) {
  const uint32_t key0 = 0x9E3779B9u, key1 = 12345;
  const uint64_t starts[] = {0, 1, 0xFFFFFFFFull - 3, (uint64_t{1} << 52) - 2};
  for (uint64_t first : starts) {
    for (size_t blocks : {size_t(0), size_t(1), size_t(7), size_t(40009)}) {
      std::vector<uint32_t> expected(4 * blocks);
      for (size_t b = 0; b < blocks; ++b) {
        const uint64_t c = first + b;
        PhiloxBlock block = philox4x32_10(PhiloxBlock{{uint32_t(c), uint32_t(c >> 32), 0, 0}}, key0, key1);
        for (int w = 0; w < 4; ++w) expected[4 * b + w] = block.word[w];
      }
      for (int threads : {1, 2, 3}) {
        ThreadPool pool(threads);
        Context ctx{Isa::Scalar, &pool, nullptr};
        std::vector<uint32_t> out(4 * blocks + 1, 0xDEADBEEFu);
        philox_words(ctx, key0, key1, first, out.data(), blocks);
        for (size_t i = 0; i < 4 * blocks; ++i) {
          CHECK(out[i] == expected[i]) << "first " << first << " blocks " << blocks << " threads " << threads << " word " << i;
          if (out[i] != expected[i]) break;
        }
        CHECK(out[4 * blocks] == 0xDEADBEEFu) << "wrote past the end";
      }
    }
  }
}

TEST(philox_words_known_answer) {
  // Random123's kat vector for counter (0, 0, 0, 0), key (0, 0).
  std::vector<uint32_t> out(4);
  Context ctx{Isa::Scalar, nullptr, nullptr};
  philox_words(ctx, 0, 0, 0, out.data(), 1);
  CHECK(out[0] == 0x6627e8d5u && out[1] == 0xe169c58du && out[2] == 0xbc57ac4cu && out[3] == 0x9b00dbd8u);
}
