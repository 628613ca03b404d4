/**
 * Types and op codes of the elementwise bindings (native/addon/bind_elementwise.cc;
 * codes from native/kernels/elementwise/ops.h — never renumbered, only appended).
 * Outputs are preallocated by the caller and overwritten; `out` may be the input.
 */

/** Ops of `binaryOp`. */
export const BinaryOpCode = { ADD: 0, SUB: 1, MUL: 2, DIV: 3, POW: 4, MAXIMUM: 5, MINIMUM: 6 } as const;
export type BinaryOpCode = (typeof BinaryOpCode)[keyof typeof BinaryOpCode];

/** Ops of `scalarOp`: x op s, except RSUB = s - x and RDIV = s / x. */
export const ScalarOpCode = { ADD: 0, MUL: 1, POW: 2, RSUB: 3, RDIV: 4, MAXIMUM: 5, MINIMUM: 6 } as const;
export type ScalarOpCode = (typeof ScalarOpCode)[keyof typeof ScalarOpCode];

/**
 * Ops of `unaryOp` / `unaryBackward`. `param` is the negative slope of
 * LEAKY_RELU and the alpha of ELU; other ops ignore it. GELU is the exact
 * (erf) form, PyTorch's default.
 */
export const UnaryOpCode = {
  NEG: 0,
  ABS: 1,
  EXP: 2,
  LOG: 3,
  SQRT: 4,
  RELU: 5,
  SIGMOID: 6,
  TANH: 7,
  LEAKY_RELU: 8,
  ELU: 9,
  GELU: 10,
  SILU: 11,
  SOFTPLUS: 12,
  SIGN: 13,
  SQUARE: 14,
  RECIPROCAL: 15,
} as const;
export type UnaryOpCode = (typeof UnaryOpCode)[keyof typeof UnaryOpCode];

/** Largest rank `binaryOp` accepts. */
export const MAX_BROADCAST_RANK = 8;

export interface ElementwiseBindings {
  /**
   * out = a op b with NumPy broadcasting. Strides are in elements, one per
   * dimension of outShape, 0 where that input is broadcast (non-negative).
   * out is contiguous with prod(outShape) elements; rank <= 8.
   */
  binaryOp(
    op: BinaryOpCode, a: Float32Array, aStrides: Int32Array, b: Float32Array, bStrides: Int32Array,
    out: Float32Array, outShape: Int32Array,
  ): void;
  /** out = x op scalar (same length as x). The scalar must be finite. */
  scalarOp(op: ScalarOpCode, x: Float32Array, scalar: number, out: Float32Array): void;
  /** out = op(x) (same length as x). */
  unaryOp(op: UnaryOpCode, x: Float32Array, out: Float32Array, param: number): void;
  /** out = min(max(x, lo), hi); NaN stays NaN; lo > hi gives hi. Bounds must be finite. */
  clampOp(x: Float32Array, lo: number, hi: number, out: Float32Array): void;
  /** gx = gy · op'(x), with y = op(x) the forward output; all four the same length. Overwrites gx. */
  unaryBackward(op: UnaryOpCode, x: Float32Array, y: Float32Array, gy: Float32Array, gx: Float32Array, param: number): void;
  /** Every element of out = value (finite). */
  fill(out: Float32Array, value: number): void;
  /** y += alpha · x (same lengths); used to accumulate gradients. */
  axpy(alpha: number, x: Float32Array, y: Float32Array): void;
}
