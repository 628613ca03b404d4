// 3×3 convolutions with stride 1, padding 1 and no dilation by Winograd's
// minimal filtering F(2×2, 3×3): each 2×2 output tile costs 16 multiplies per
// (input, output) channel pair instead of 36, so the products at the heart of
// the forward pass, the input gradient and the weight gradient do 2.25× fewer
// multiply-adds than im2col + GEMM, and no column matrix is built. The 16
// products per block of tiles run on the GEMM's own micro-kernel, on panels
// the tile transforms write ready-packed.
//
// Same contract as conv2d.h (outputs overwritten; scratch from ctx.workspace,
// bounded by the block size, not the batch). Rounding differs from the direct
// sum by a few units in the last place of the largest terms, and an infinite
// input can give NaN where the direct sum gives ±∞ (the transforms subtract).
#pragma once

#include "context.h"
#include "conv/conv2d_geometry.h"

namespace dendrite {

// Whether g is a convolution these kernels compute (and one where they pay:
// enough channels per group on both sides for the tile products to be real
// GEMMs). Groups run one after another, each read and written in place.
bool winograd_applicable(const Conv2dGeometry& g);

// As conv2d_forward; g must satisfy winograd_geometry_fits.
void winograd_conv2d_forward(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* w,
                             const float* bias, float* out);
// gx = dL/dx given gy.
void winograd_conv2d_input_gradient(const Context& ctx, const Conv2dGeometry& g, const float* w, const float* gy,
                                    float* gx);
// gw = dL/dw given gy.
void winograd_conv2d_weight_gradient(const Context& ctx, const Conv2dGeometry& g, const float* x, const float* gy,
                                     float* gw);

// The shapes the kernels can compute at all, whatever the channel counts
// (tests run them on small ones).
bool winograd_geometry_fits(const Conv2dGeometry& g);

}  // namespace dendrite
