/**
 * Types of the convolution bindings (native/addon/bind_conv.cc): 2-D, NCHW
 * input, OIHW weight, groups = 1. The output is [n, o, oh, ow] with
 * oh = floor((h + 2·padH − dilationH·(kh − 1) − 1) / strideH) + 1 (likewise ow).
 * Outputs are preallocated by the caller and overwritten.
 */
export interface ConvBindings {
  /** out = conv(x, w) + bias; bias may be null. */
  conv2dForward(
    x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array,
    n: number, c: number, h: number, w_: number, o: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number,
  ): void;
  /** Writes (overwrites) each of gx [n,c,h,w], gw [o,c,kh,kw], gb [o] that is not null, given gy [n,o,oh,ow]. */
  conv2dBackward(
    x: Float32Array, w: Float32Array, gy: Float32Array,
    gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null,
    n: number, c: number, h: number, w_: number, o: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number,
  ): void;
}
