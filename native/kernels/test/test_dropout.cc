// Dropout: Philox known answers, masks that depend only on (seed, position)
// (same bits on every ISA path, any thread count, any offset, and a pinned
// known answer), statistics,
// and the backward pass applying the same mask.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "context.h"
#include "dropout/dropout.h"
#include "dropout/philox.h"
#include "test_harness.h"

using namespace dendrite;

namespace {

std::vector<float> ramp(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(int(i % 97) - 48) * 0.125f + 0.0625f;
  return v;
}

}  // namespace

TEST(philox4x32_10_known_answers) {
  // Random123's kat_vectors for philox4x32 with 10 rounds.
  struct Case {
    PhiloxBlock counter;
    uint32_t key0, key1;
    uint32_t expected[4];
  } cases[] = {
      {{{0, 0, 0, 0}}, 0, 0, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, 0xffffffff, 0xffffffff,
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, 0xa4093822, 0x299f31d0,
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Case& c : cases) {
    PhiloxBlock out = philox4x32_10(c.counter, c.key0, c.key1);
    for (int w = 0; w < 4; ++w) CHECK(out.word[w] == c.expected[w]) << "word " << w << " " << std::hex << out.word[w];
  }
}

TEST(dropout_mask_depends_only_on_seed_and_position) {
  const double p = 0.3;
  const DropoutRule rule = dropout_rule(p);
  const uint32_t seed = 0xC0FFEE;
  // Offsets: aligned, unaligned, and one whose block counter carries into its high word (block 2^32 starts at position 2^35).
  const uint64_t offsets[] = {0, 5, 31, 1000003, (uint64_t{1} << 35) - 45, (uint64_t{1} << 52) + 3};
  for (uint64_t offset : offsets) {
    for (size_t n : {size_t(0), size_t(1), size_t(31), size_t(33), size_t(100), size_t(200003)}) {
      std::vector<float> x = ramp(n);
      for (Isa isa : dendrite_test::supported_isas()) {
        for (int threads : {1, 2}) {
          ThreadPool pool(threads);
          Context ctx{isa, &pool, nullptr};
          std::vector<float> out(n, NAN), gx(n, NAN);
          std::vector<uint8_t> mask(n, 7);
          dropout_forward(ctx, x.data(), out.data(), mask.data(), n, p, seed, offset);
          bool ok = true;
          for (size_t i = 0; i < n && ok; ++i) {
            const bool keep = dropout_random_bits(seed, offset + i) >= rule.threshold;
            const float want = x[i] * (keep ? rule.scale : 0.0f);
            if (mask[i] != (keep ? 1 : 0) || std::memcmp(&out[i], &want, sizeof(float)) != 0) {
              CHECK(false) << "offset " << offset << " n " << n << " isa " << isa_name(isa) << " threads "
                           << threads << " at " << i;
              ok = false;
            }
          }
          // Backward applies the same mask and scale.
          dropout_backward(ctx, x.data(), mask.data(), n, p, gx.data());
          // (memcmp of empty vectors' data() would be memcmp(nullptr, …, 0): undefined behaviour.)
          CHECK(n == 0 || std::memcmp(gx.data(), out.data(), n * sizeof(float)) == 0) << "backward offset " << offset << " n " << n;
        }
      }
    }
  }
}

TEST(dropout_forward_streams_large_outputs_on_every_isa) {
  // Past 4Mi elements the vector loops write around the caches (non-temporal
  // stores) where the output and the mask are aligned at the first whole
  // group; one element further they may not. Either way every ISA must give
  // the scalar stream's bits. Offset 3 starts the stream mid-group: the first
  // 125 positions go one at a time, so the outputs are placed such that
  // position 128 falls on a 64-byte boundary.
  const size_t n = (size_t{1} << 22) + 77;
  const double p = 0.45;
  const uint64_t offset = 3;
  const size_t head = 125;
  std::vector<float> x = ramp(n);
  std::vector<float> want(n);
  std::vector<uint8_t> want_mask(n);
  {
    ThreadPool pool(1);
    dropout_forward(Context{Isa::Scalar, &pool, nullptr}, x.data(), want.data(), want_mask.data(), n, p, 31, offset);
  }
  const auto first_aligned = [](const void* base, size_t element_bytes, size_t skip) {
    size_t k = 0;
    while ((reinterpret_cast<uintptr_t>(base) + (k + skip) * element_bytes) % 64 != 0) ++k;
    return k;
  };
  std::vector<float> out(n + 64);
  std::vector<uint8_t> mask(n + 128);
  const size_t out_at = first_aligned(out.data(), sizeof(float), head);
  const size_t mask_at = first_aligned(mask.data(), 1, head);
  for (Isa isa : dendrite_test::supported_isas()) {
    ThreadPool pool(2);
    Context ctx{isa, &pool, nullptr};
    for (size_t extra : {size_t(0), size_t(1)}) {
      std::fill(out.begin(), out.end(), -1.0f);
      std::fill(mask.begin(), mask.end(), uint8_t{7});
      float* o = out.data() + out_at + extra;
      uint8_t* m = mask.data() + mask_at + extra;
      dropout_forward(ctx, x.data(), o, m, n, p, 31, offset);
      CHECK(std::memcmp(o, want.data(), n * sizeof(float)) == 0) << isa_name(isa) << " extra " << extra;
      CHECK(std::memcmp(m, want_mask.data(), n) == 0) << isa_name(isa) << " extra " << extra;
      CHECK(o[n] == -1.0f && m[n] == 7) << "wrote past the end: " << isa_name(isa);
    }
  }
}

TEST(dropout_backward_uniform_equals_backward_of_a_filled_gradient) {
  // The gradient of a sum reaches dropout as one value for every element; the
  // uniform form must give the bits the general one gives for gy filled with
  // it, on every ISA, for awkward lengths, a gx off the vector alignment, and
  // a length past the streaming threshold (4Mi elements). NaN and infinity
  // must still turn dropped elements into NaN (g · 0), as the general form does.
  const double p = 0.37;
  const size_t big = (size_t{1} << 22) + 37;
  const float values[] = {2.5f, -0.0f, INFINITY, NAN, 1e-40f};
  for (size_t n : {size_t(0), size_t(1), size_t(7), size_t(31), size_t(33), size_t(97), size_t(100003), big}) {
    std::vector<float> x = ramp(n);
    std::vector<uint8_t> mask(n);
    {
      ThreadPool pool(1);
      dropout_forward(Context{Isa::Scalar, &pool, nullptr}, x.data(), x.data(), mask.data(), n, p, 99, 5);
    }
    for (Isa isa : dendrite_test::supported_isas()) {
      for (int threads : {1, 2}) {
        if (n == big && threads == 1 && isa != Isa::Scalar) continue;  // the big case: once per ISA is enough
        ThreadPool pool(threads);
        Context ctx{isa, &pool, nullptr};
        for (float g : values) {
          for (size_t shift : {size_t(0), size_t(1)}) {
            std::vector<float> gy(n, g), want(n + 1, -7.0f), got(n + 1, -7.0f);
            dropout_backward(ctx, gy.data(), mask.data(), n, p, want.data() + shift);
            dropout_backward_uniform(ctx, g, mask.data(), n, p, got.data() + shift);
            CHECK(std::memcmp(got.data(), want.data(), (n + 1) * sizeof(float)) == 0)
                << isa_name(isa) << " threads " << threads << " n " << n << " g " << g << " shift " << shift;
          }
        }
      }
    }
  }
}

TEST(dropout_mask_known_answer_on_every_isa) {
  // A seeded mask pinned to its bits, so every CPU (x86 and arm64 builds) and
  // every ISA path must draw the same one. 96 positions from 1000 cover a
  // scalar head, a 64-position vector group and a scalar tail.
  const uint64_t want[2] = {0x19b65be07feffff5ull, 0xeff775e6ull};
  const size_t n = 96;
  std::vector<float> x(n, 1.0f);
  for (Isa isa : dendrite_test::supported_isas()) {
    for (int threads : {1, 2}) {
      ThreadPool pool(threads);
      Context ctx{isa, &pool, nullptr};
      std::vector<float> out(n);
      std::vector<uint8_t> mask(n);
      dropout_forward(ctx, x.data(), out.data(), mask.data(), n, 0.3, 2024, 1000);
      uint64_t got[2] = {0, 0};
      for (size_t i = 0; i < n; ++i) got[i / 64] |= uint64_t{mask[i] != 0} << (i % 64);
      CHECK(got[0] == want[0] && got[1] == want[1])
          << isa_name(isa) << " threads " << threads << " mask " << std::hex << got[0] << " " << got[1];
    }
  }
}

TEST(dropout_statistics) {
  const size_t n = 1000000;
  std::vector<float> x(n, 1.0f), out(n);
  std::vector<uint8_t> mask(n);
  Context ctx{dendrite_test::supported_isas().back(), nullptr, nullptr};
  for (double p : {0.1, 0.5, 0.9}) {
    for (uint32_t seed : {1u, 42u, 0xFFFFFFFFu}) {
      dropout_forward(ctx, x.data(), out.data(), mask.data(), n, p, seed, 12345);
      size_t kept = 0;
      double sum = 0;
      for (size_t i = 0; i < n; ++i) kept += mask[i], sum += out[i];
      const double sigma = std::sqrt(n * p * (1 - p));
      CHECK(std::fabs(double(kept) - n * (1 - p)) < 4 * sigma) << "p " << p << " kept " << kept;
      // The mean is preserved: E[out] = x within 4σ of kept/(1−p).
      CHECK(std::fabs(sum / n - 1.0) < 4 * sigma / (n * (1 - p))) << "p " << p << " mean " << sum / n;
    }
  }
}

TEST(dropout_p_zero_is_exact_and_in_place_works) {
  const size_t n = 1001;
  std::vector<float> x = ramp(n);
  x[3] = NAN;
  for (Isa isa : dendrite_test::supported_isas()) {
    Context ctx{isa, nullptr, nullptr};
    std::vector<float> out(n);
    std::vector<uint8_t> mask(n, 0);
    dropout_forward(ctx, x.data(), out.data(), mask.data(), n, 0.0, 9, 0);
    CHECK(std::memcmp(out.data(), x.data(), n * sizeof(float)) == 0);
    for (uint8_t m : mask) CHECK(m == 1);
    // In place (out aliases x) gives the same as out of place.
    std::vector<float> a = ramp(n), b = ramp(n);
    std::vector<uint8_t> ma(n), mb(n);
    dropout_forward(ctx, a.data(), a.data(), ma.data(), n, 0.5, 9, 17);
    dropout_forward(ctx, b.data(), out.data(), mb.data(), n, 0.5, 9, 17);
    CHECK(std::memcmp(a.data(), out.data(), n * sizeof(float)) == 0 && ma == mb);
  }
}

TEST(channel_dropout_one_draw_per_plane) {
  const size_t planes = 37, spatial = 45;
  const double p = 0.4;
  const DropoutRule rule = dropout_rule(p);
  std::vector<float> x = ramp(planes * spatial);
  std::vector<float> ref_out;
  std::vector<uint8_t> ref_mask;
  for (Isa isa : dendrite_test::supported_isas()) {
    for (int threads : {1, 2}) {
      ThreadPool pool(threads);
      Context ctx{isa, &pool, nullptr};
      std::vector<float> out(x.size(), NAN), gx(x.size(), NAN);
      std::vector<uint8_t> mask(planes, 9);
      channel_dropout_forward(ctx, x.data(), out.data(), mask.data(), planes, spatial, p, 77, 1000);
      for (size_t pl = 0; pl < planes; ++pl) {
        const bool keep = dropout_random_bits(77, 1000 + pl) >= rule.threshold;
        CHECK(mask[pl] == (keep ? 1 : 0)) << pl;
        for (size_t s = 0; s < spatial; ++s) {
          const float want = x[pl * spatial + s] * (keep ? rule.scale : 0.0f);
          CHECK(out[pl * spatial + s] == want) << pl << "," << s;
        }
      }
      channel_dropout_backward(ctx, x.data(), mask.data(), planes, spatial, p, gx.data());
      CHECK(gx == out);
      if (ref_out.empty()) ref_out = out, ref_mask = mask;
      CHECK(out == ref_out && mask == ref_mask) << isa_name(isa) << " threads " << threads;
    }
  }
}
