/**
 * Types of the pooling bindings (native/addon/bind_pool.cc), NCHW. Window
 * output size floor((h + 2·pad − dilation·(k − 1) − 1) / stride) + 1, rounded
 * up with ceilMode (less one when the last window would start in the right
 * padding), as PyTorch; pad at most k/2. Adaptive pooling takes the output
 * size and pools bins [floor(i·h/oh), ceil((i+1)·h/oh)). Outputs are
 * preallocated by the caller and overwritten.
 */
export interface PoolBindings {
  /** out = window max; indices = flat h·w position of the max inside each (n, c) plane (first one; NaN wins). */
  maxPool2dForward(
    x: Float32Array, out: Float32Array, indices: Int32Array,
    n: number, c: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number,
    dilationH?: number, dilationW?: number, ceilMode?: boolean,
  ): void;
  /** gx = 0, then gx[plane][indices[i]] += gy[i]; an index outside the plane is a RangeError. Also adaptive max's backward. */
  maxPool2dBackward(
    gy: Float32Array, indices: Int32Array, gx: Float32Array,
    n: number, c: number, h: number, w: number, oh: number, ow: number,
  ): void;
  /**
   * out = window mean; the divisor counts, with countIncludePad, the window's positions inside the padded
   * input (kh·kw unless a ceil-mode window runs past it), else its positions inside the image.
   */
  avgPool2dForward(
    x: Float32Array, out: Float32Array,
    n: number, c: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, countIncludePad: boolean, ceilMode?: boolean,
  ): void;
  avgPool2dBackward(
    gy: Float32Array, gx: Float32Array,
    n: number, c: number, h: number, w: number, kh: number, kw: number,
    strideH: number, strideW: number, padH: number, padW: number, countIncludePad: boolean, ceilMode?: boolean,
  ): void;
  /** out = mean of each bin (a 1×1 output is global average pooling, one vectorised sum per plane). */
  adaptiveAvgPool2dForward(x: Float32Array, out: Float32Array, n: number, c: number, h: number, w: number, oh: number, ow: number): void;
  adaptiveAvgPool2dBackward(gy: Float32Array, gx: Float32Array, n: number, c: number, h: number, w: number, oh: number, ow: number): void;
  /** out = max of each bin; indices as maxPool2dForward's (its backward is maxPool2dBackward). */
  adaptiveMaxPool2dForward(
    x: Float32Array, out: Float32Array, indices: Int32Array, n: number, c: number, h: number, w: number, oh: number, ow: number,
  ): void;
}
