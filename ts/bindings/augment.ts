/** Types of the image-augmentation bindings (native/addon/bind_augment.cc). NCHW float32 batches. */
export interface AugmentBindings {
  /**
   * Integer crop/shift plus optional horizontal flip:
   * out[i,ch,y,x] = x[i,ch, y + offsetY[i], xs + offsetX[i]] with xs = flip[i] ? outW-1-x : x,
   * `fill` outside the source. `out` ([n,c,outH,outW]) must not overlap `x`.
   */
  augmentShiftFlip(
    x: Float32Array, out: Float32Array, n: number, c: number, h: number, w: number, outH: number, outW: number,
    offsetY: Int32Array, offsetX: Int32Array, flip: Uint8Array, fill: number,
  ): void;
  /**
   * Rotation about the image centre by angles[i] radians (counter-clockwise as displayed), bilinear,
   * neighbours outside the image read `fill`. `out` must not overlap `x`.
   */
  augmentRotate(x: Float32Array, out: Float32Array, n: number, c: number, h: number, w: number, angles: Float32Array, fill: number): void;
  /**
   * out = x + stddev·z(seed, offset + i), clamped to [lo, hi] when `clamp`. z is a counter-based
   * normal stream, so the result depends on (seed, offset) only. `out` may be `x` itself.
   */
  augmentGaussianNoise(x: Float32Array, out: Float32Array, stddev: number, seed: number, offset: number, clamp: boolean, lo: number, hi: number): void;
}
