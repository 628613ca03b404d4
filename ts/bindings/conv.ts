/**
 * Types of the convolution bindings (native/addon/bind_conv.cc and
 * bind_conv_transpose.cc): 2-D, NCHW input, OIHW weight [o, c/groups, kh, kw].
 * The output is [n, o, oh, ow] with
 * oh = floor((h + 2·padH − dilationH·(kh − 1) − 1) / strideH) + 1 (likewise ow).
 * Outputs are preallocated by the caller and overwritten.
 */
export interface ConvBindings {
  /** out = conv(x, w) + bias; bias may be null; groups (default 1) divides c and o. */
  conv2dForward(
    x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array,
    n: number, c: number, h: number, w_: number, o: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number,
    groups?: number,
  ): void;
  /** Writes (overwrites) each of gx [n,c,h,w], gw [o,c/groups,kh,kw], gb [o] that is not null, given gy [n,o,oh,ow]. */
  conv2dBackward(
    x: Float32Array, w: Float32Array, gy: Float32Array,
    gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null,
    n: number, c: number, h: number, w_: number, o: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number,
    groups?: number,
  ): void;
  /**
   * y = conv_transpose(x, w) + bias for x [n, inChannels, h, w_], weight
   * [inChannels, outChannels/groups, kh, kw], y [n, outChannels, oh, ow] with
   * oh = (h − 1)·strideH − 2·padH + dilationH·(kh − 1) + outputPaddingH + 1;
   * outputPadding must be smaller than the stride or the dilation.
   */
  convTranspose2dForward(
    x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array,
    n: number, inChannels: number, h: number, w_: number, outChannels: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, outputPaddingH: number, outputPaddingW: number,
    dilationH: number, dilationW: number, groups: number,
  ): void;
  /** Writes each of gx (like x), gw (like w), gb [outChannels] that is not null, given gy (like y). */
  convTranspose2dBackward(
    x: Float32Array, w: Float32Array, gy: Float32Array,
    gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null,
    n: number, inChannels: number, h: number, w_: number, outChannels: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, outputPaddingH: number, outputPaddingW: number,
    dilationH: number, dilationW: number, groups: number,
  ): void;
}
