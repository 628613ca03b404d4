/**
 * Types of the optimizer bindings (native/addon/bind_optim.cc): fused,
 * in-place, one-pass updates with PyTorch's semantics. State buffers must
 * have exactly param's length; hyperparameters must be finite, rates and
 * decays >= 0.
 */
export interface OptimBindings {
  /**
   * SGD: g = grad + wd·p; with momentum: buf = firstStep ? g : momentum·buf + (1 − dampening)·g,
   * g = nesterov ? g + momentum·buf : buf; p −= lr·g. momentumBuf may be null only when momentum is 0;
   * nesterov needs momentum > 0 and dampening 0.
   */
  sgdUpdate(
    param: Float32Array, grad: Float32Array, momentumBuf: Float32Array | null,
    lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean, firstStep: boolean,
  ): void;
  /**
   * Adam (weightDecay added to the gradient) or AdamW (decoupled: p *= 1 − lr·wd), bias-corrected
   * with step (integer >= 1); beta1, beta2 in [0, 1).
   */
  adamUpdate(
    param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array,
    lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: boolean, step: number,
  ): void;
  /**
   * RMSprop: sq = α·sq + (1−α)·g²; centered subtracts gradAvg² (clamped at 0); momentum keeps
   * buf = μ·buf + g/(sqrt(·)+eps). momentumBuf required when momentum > 0, gradAvg when centered.
   */
  rmspropUpdate(
    param: Float32Array, grad: Float32Array, squareAvg: Float32Array,
    momentumBuf: Float32Array | null, gradAvg: Float32Array | null,
    lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean,
  ): void;
  /** Adagrad: sum += g²; p −= lr/(1 + (step−1)·lrDecay) · g/(sqrt(sum) + eps). */
  adagradUpdate(
    param: Float32Array, grad: Float32Array, sum: Float32Array,
    lr: number, eps: number, weightDecay: number, lrDecay: number, step: number,
  ): void;
  /** Returns l1·Σ|p| + l2·Σp²; when grad is given, adds l1·sign(p) + 2·l2·p to it. */
  applyRegularizer(param: Float32Array, grad: Float32Array | null, l1: number, l2: number): number;
  /** Scales each row (of cols elements) whose L2 norm exceeds maxNorm down to maxNorm. */
  maxNormRows(param: Float32Array, rows: number, cols: number, maxNorm: number): void;
}
