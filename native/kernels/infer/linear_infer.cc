#include "infer/linear_infer.h"

#include <algorithm>

namespace dendrite::infer {

// Multiply-adds per parallel task below which another thread costs more than it saves.
constexpr size_t kLinearMinTaskWork = size_t{1} << 16;
// Samples from which the packed kernel beats the dot products.
constexpr size_t kLinearPackedBatch = 8;

void linear_infer(const Context& ctx, const LinearTask& t) {
  if (t.batch == 0 || t.out == 0) return;
  if (t.in == 0) {
    // No inputs: every output is its bias.
    for (size_t s = 0; s < t.batch; ++s) {
      for (size_t f = 0; f < t.out; ++f) {
        const float v = t.bias != nullptr ? t.bias[f] : 0.0f;
        t.y[s * t.out + f] = t.relu && v < 0.0f ? 0.0f : v;
      }
    }
    return;
  }
  const InferKernels& k = infer_kernels(ctx.isa);
  if (t.batch < kLinearPackedBatch) {
    const size_t blocks = (t.out + kLinearFeatureBlock - 1) / kLinearFeatureBlock;
    const size_t block_work = kLinearFeatureBlock * t.batch * t.in;
    parallel_for(ctx, blocks, std::max<size_t>(1, kLinearMinTaskWork / block_work), [&](size_t b0, size_t b1, int) {
      k.linear_features(t, b0 * kLinearFeatureBlock, std::min(t.out, b1 * kLinearFeatureBlock));
    });
    return;
  }
  const size_t mr = k.linear_mr, nr = k.linear_nr, blocks = (t.batch + nr - 1) / nr;
  float* xp = ctx.workspace->get_as<float>(Workspace::key(kWsInferTiles, 0), blocks * t.in * nr);
  parallel_for(ctx, blocks, std::max<size_t>(1, kLinearMinTaskWork / (nr * t.in)), [&](size_t b0, size_t b1, int) {
    for (size_t b = b0; b < b1; ++b) k.pack_samples(t, b * nr, std::min(nr, t.batch - b * nr), xp + b * t.in * nr);
  });
  const size_t panels = (t.out + mr - 1) / mr, panel_work = mr * t.batch * t.in;
  parallel_for(ctx, panels, std::max<size_t>(1, kLinearMinTaskWork / panel_work), [&](size_t p0, size_t p1, int thread) {
    float* m = ctx.workspace->get_as<float>(Workspace::key(kWsInferProducts, thread), mr * nr);
    float* edge = ctx.workspace->get_as<float>(Workspace::key(kWsInferRows, thread), mr * t.in);
    k.linear_panels(t, xp, p0 * mr, std::min(t.out, p1 * mr), m, edge);
  });
}

}  // namespace dendrite::infer
