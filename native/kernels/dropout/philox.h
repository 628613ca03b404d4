// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
// SC'11): a counter-based generator, so the random word of any stream
// position is computed directly, without state carried from the previous one.
// Portable scalar version; dropout_avx2.cc and dropout_neon.cc run the same
// rounds on 8 counters.
#pragma once

#include <cstdint>

namespace dendrite {

constexpr uint32_t kPhiloxMultiplier0 = 0xD2511F53u;
constexpr uint32_t kPhiloxMultiplier1 = 0xCD9E8D57u;
constexpr uint32_t kPhiloxKeyStep0 = 0x9E3779B9u;  // golden ratio
constexpr uint32_t kPhiloxKeyStep1 = 0xBB67AE85u;  // sqrt(3) − 1
constexpr int kPhiloxRounds = 10;

struct PhiloxBlock {
  uint32_t word[4];
};

inline PhiloxBlock philox4x32_10(PhiloxBlock counter, uint32_t key0, uint32_t key1) {
  uint32_t c0 = counter.word[0], c1 = counter.word[1], c2 = counter.word[2], c3 = counter.word[3];
  for (int round = 0; round < kPhiloxRounds; ++round) {
    if (round > 0) key0 += kPhiloxKeyStep0, key1 += kPhiloxKeyStep1;
    const uint64_t p0 = static_cast<uint64_t>(kPhiloxMultiplier0) * c0;
    const uint64_t p1 = static_cast<uint64_t>(kPhiloxMultiplier1) * c2;
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    c0 = hi1 ^ c1 ^ key0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ key1;
    c3 = lo0;
  }
  return PhiloxBlock{{c0, c1, c2, c3}};
}

// The dropout stream: each position takes 16 random bits, so one Philox
// block (four 32-bit words) serves eight consecutive positions. Position g
// uses block g / 8 — counter (g / 8 as two 32-bit halves, 0, 0), key
// (seed, 0) — word (g / 2) mod 4, low half for even g and high half for odd g.
// 16 bits resolve the drop probability to 2^-16, ample for dropout, and halve
// the generator's work, which bounds the kernel's speed.
inline PhiloxBlock dropout_block(uint32_t seed, uint64_t block) {
  return philox4x32_10(PhiloxBlock{{static_cast<uint32_t>(block), static_cast<uint32_t>(block >> 32), 0, 0}},
                       seed, 0);
}

inline uint32_t dropout_random_bits(uint32_t seed, uint64_t position) {
  const uint32_t word = dropout_block(seed, position >> 3).word[(position >> 1) & 3];
  return (position & 1) ? word >> 16 : word & 0xFFFFu;
}

}  // namespace dendrite
