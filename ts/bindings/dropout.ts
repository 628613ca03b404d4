/**
 * Types of the dropout bindings (native/addon/bind_dropout.cc). The mask is
 * drawn with Philox4x32-10 and depends only on (seed, offset + index), so it
 * is the same for any thread count and ISA. p must lie in [0, 1) (p = 1 is
 * all zeros and handled in TypeScript); p = 0 keeps everything exactly.
 * Kept elements are scaled by 1/(1 − p). out may be x itself (in place).
 */
export interface DropoutBindings {
  /**
   * mask[i] = 1 kept / 0 dropped; out = x·mask/(1 − p). seed is a uint32,
   * offset (the stream position of x[0]) an integer in [0, 2^53).
   */
  dropoutForward(x: Float32Array, out: Float32Array, mask: Uint8Array, p: number, seed: number, offset: number): void;
  /** gx = gy·mask/(1 − p). */
  dropoutBackward(gy: Float32Array, mask: Uint8Array, p: number, gx: Float32Array): void;
  /**
   * gx = g·mask/(1 − p) for n = gx.length elements: dropoutBackward for a gy
   * whose every element is g (the gradient of a sum), without reading one.
   * g may be any number (NaN and infinities propagate as in dropoutBackward).
   */
  dropoutBackwardUniform(g: number, mask: Uint8Array, p: number, gx: Float32Array): void;
  /** Spatial dropout: one draw per (n, c) plane of `spatial` elements (positions offset + plane); mask has n·c entries. */
  channelDropoutForward(
    x: Float32Array, out: Float32Array, mask: Uint8Array,
    n: number, c: number, spatial: number, p: number, seed: number, offset: number,
  ): void;
  channelDropoutBackward(
    gy: Float32Array, mask: Uint8Array, n: number, c: number, spatial: number, p: number, gx: Float32Array,
  ): void;
}
