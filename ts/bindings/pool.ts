/**
 * Types of the pooling bindings (native/addon/bind_pool.cc), NCHW. Output size
 * floor((h + 2·pad − k) / stride) + 1 (ceil_mode false); pad at most k/2.
 * Outputs are preallocated by the caller and overwritten.
 */
export interface PoolBindings {
  /** out = window max; indices = flat h·w position of the max inside each (n, c) plane (first one; NaN wins). */
  maxPool2dForward(
    x: Float32Array, out: Float32Array, indices: Int32Array,
    n: number, c: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number,
  ): void;
  /** gx = 0, then gx[plane][indices[i]] += gy[i]; an index outside the plane is a RangeError. */
  maxPool2dBackward(
    gy: Float32Array, indices: Int32Array, gx: Float32Array,
    n: number, c: number, h: number, w: number, oh: number, ow: number,
  ): void;
  /** out = window mean; the divisor is kh·kw with countIncludePad, else the in-image count. */
  avgPool2dForward(
    x: Float32Array, out: Float32Array,
    n: number, c: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, countIncludePad: boolean,
  ): void;
  avgPool2dBackward(
    gy: Float32Array, gx: Float32Array,
    n: number, c: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, countIncludePad: boolean,
  ): void;
}
