/**
 * Types of the normalization bindings (native/addon/bind_norm.cc). Batch and
 * local response norm view x as [n, c, plane] (NCHW: plane = H·W; [N, C]
 * input: plane 1), layer norm as [rows, cols]. Outputs are preallocated by
 * the caller, overwritten, and must not overlap the inputs or each other;
 * optional arrays are null. Statistics are accumulated in double and do not
 * depend on the thread count.
 */
export interface NormBindings {
  /**
   * Training: per-channel mean and invstd = 1/√(var + eps) of the biased
   * variance, y = (x − mean)·invstd·weight + bias. runningMean/runningVar,
   * when given, are updated in place: r ← (1 − momentum)·r + momentum·batch
   * value, with the unbiased variance (needs n·plane >= 2).
   */
  batchNormForwardTraining(
    x: Float32Array, weight: Float32Array | null, bias: Float32Array | null,
    n: number, c: number, plane: number, eps: number,
    y: Float32Array, mean: Float32Array, invstd: Float32Array,
    runningMean: Float32Array | null, runningVar: Float32Array | null, momentum: number,
  ): void;
  /** Inference: y = (x − runningMean)/√(runningVar + eps)·weight + bias. */
  batchNormForwardInference(
    x: Float32Array, runningMean: Float32Array, runningVar: Float32Array,
    weight: Float32Array | null, bias: Float32Array | null,
    n: number, c: number, plane: number, eps: number, y: Float32Array,
  ): void;
  /**
   * Gradients given the forward's mean and invstd. batchStats: through the
   * batch statistics (training); otherwise gx = weight·invstd·gy. gweight =
   * Σ gy·x̂, gbias = Σ gy per channel. Each gradient output may be null.
   */
  batchNormBackward(
    x: Float32Array, gy: Float32Array, mean: Float32Array, invstd: Float32Array, weight: Float32Array | null,
    n: number, c: number, plane: number, batchStats: boolean,
    gx: Float32Array | null, gweight: Float32Array | null, gbias: Float32Array | null,
  ): void;
  /** Each row normalized by its own mean and biased variance, then y = x̂·weight + bias per column. */
  layerNormForward(
    x: Float32Array, weight: Float32Array | null, bias: Float32Array | null,
    rows: number, cols: number, eps: number, y: Float32Array, mean: Float32Array, invstd: Float32Array,
  ): void;
  /** gx through the row statistics; gweight = Σ_rows gy·x̂, gbias = Σ_rows gy. Each output may be null. */
  layerNormBackward(
    x: Float32Array, gy: Float32Array, mean: Float32Array, invstd: Float32Array, weight: Float32Array | null,
    rows: number, cols: number, gx: Float32Array | null, gweight: Float32Array | null, gbias: Float32Array | null,
  ): void;
  /**
   * y = x·d^(−beta), d = k + alpha/size·Σ x² over channels [c − ⌊size/2⌋, c + ⌊(size−1)/2⌋]
   * (missing channels count as 0); multiplier = d^(−beta), kept for backward.
   */
  localResponseNormForward(
    x: Float32Array, n: number, c: number, plane: number, size: number, alpha: number, beta: number, k: number,
    y: Float32Array, multiplier: Float32Array,
  ): void;
  localResponseNormBackward(
    x: Float32Array, gy: Float32Array, multiplier: Float32Array,
    n: number, c: number, plane: number, size: number, alpha: number, beta: number, k: number, gx: Float32Array,
  ): void;
}
