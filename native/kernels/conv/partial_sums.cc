#include "conv/partial_sums.h"

namespace dendrite {

void add_partials(const Context& ctx, const float* partial, size_t count, size_t size, bool first, float* out) {
  parallel_for(ctx, size, 4096, [&](size_t e0, size_t e1, int) {
    for (size_t e = e0; e < e1; ++e) {
      float total = first ? 0.0f : out[e];
      for (size_t p = 0; p < count; ++p) total += partial[p * size + e];
      out[e] = total;
    }
  });
}

}  // namespace dendrite
