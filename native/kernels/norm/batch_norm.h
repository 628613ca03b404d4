// Batch normalization over x viewed as [n, c, plane] (NCHW: plane = H·W;
// [N, C] input: plane = 1): each channel is normalized by the mean and
// variance of its n·plane values (training) or by running statistics
// (inference), then scaled and shifted per channel.
//
// Statistics are accumulated in double over blocks of fixed size and merged
// in a fixed order, so results do not depend on the thread count. Outputs are
// overwritten and must not overlap the inputs.
#pragma once

#include <cstddef>

#include "context.h"

namespace dendrite {

struct BatchNormShape {
  size_t n = 0, c = 0, plane = 0;
  // Values per channel.
  size_t count() const { return n * plane; }
};

// Training: mean[ch] and invstd[ch] = 1/√(var + eps) from the biased variance
// of the channel's values, y = (x − mean)·invstd·weight + bias (weight and
// bias may be null: ones and zeros). An empty channel has mean 0 and
// variance 0. When running_mean / running_var are given they are updated in
// place: r ← (1 − momentum)·r + momentum·batch value, with the unbiased
// variance (count ≥ 2 is then required).
void batch_norm_forward_training(const Context& ctx, const BatchNormShape& s, const float* x, const float* weight,
                                 const float* bias, double eps, float* y, float* mean, float* invstd,
                                 float* running_mean, float* running_var, double momentum);

// Inference: y = (x − running_mean)/√(running_var + eps)·weight + bias.
void batch_norm_forward_inference(const Context& ctx, const BatchNormShape& s, const float* x,
                                  const float* running_mean, const float* running_var, const float* weight,
                                  const float* bias, double eps, float* y);

// Gradients from gy, given the mean and invstd the forward used. With
// batch_stats (training) the gradient flows through the batch statistics:
//   gx = w·invstd·(gy − mean(gy) − x̂·mean(gy·x̂)),  x̂ = (x − mean)·invstd;
// without (inference, constant statistics) gx = w·invstd·gy. In both cases
// gweight = Σ gy·x̂ and gbias = Σ gy per channel. gx, gweight and gbias may
// each be null (not computed); weight may be null (ones).
void batch_norm_backward(const Context& ctx, const BatchNormShape& s, const float* x, const float* gy,
                         const float* mean, const float* invstd, const float* weight, bool batch_stats, float* gx,
                         float* gweight, float* gbias);

}  // namespace dendrite
