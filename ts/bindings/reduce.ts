/** Types of the reduction bindings (native/addon/bind_reduce.cc). */
export interface ReduceBindings {
  /** x viewed as [outer, len, inner]; out[outer, inner] = Σ over len (len 0 gives zeros). */
  reduceSum(x: Float32Array, outer: number, len: number, inner: number, out: Float32Array): void;
  /**
   * Max over len and its index (first occurrence). NaN propagates: a NaN
   * wins and its first index is reported. len must be >= 1 unless outer·inner is 0.
   */
  reduceMax(x: Float32Array, outer: number, len: number, inner: number, out: Float32Array, indices: Int32Array): void;
  /** Σ x, accumulated in double (same result for any thread count). */
  sumAll(x: Float32Array): number;
  /** Σ x², accumulated in double. */
  sumSquares(x: Float32Array): number;
}
