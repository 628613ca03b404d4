/** Types of the softmax bindings (native/addon/bind_softmax.cc); all along the last axis of [rows, cols]. */
export interface SoftmaxBindings {
  softmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  logSoftmax(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** gx = y·(gy − Σ gy·y) per row, y the softmax output. */
  softmaxBackward(y: Float32Array, gy: Float32Array, rows: number, cols: number, gx: Float32Array): void;
  /** gx = gy − exp(y)·Σ gy per row, y the log-softmax output. */
  logSoftmaxBackward(y: Float32Array, gy: Float32Array, rows: number, cols: number, gx: Float32Array): void;
  /**
   * Returns Σ over rows of −log softmax(logits)[label] and writes
   * grad = softmax(logits) − onehot(label), unscaled (divide by rows for a mean).
   * A label outside [0, cols) throws a RangeError naming the row and the label.
   */
  softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, rows: number, cols: number, grad: Float32Array): number;
}
