/**
 * Types of the elementwise bindings (native/addon/bind_elementwise.cc) and the
 * names of their ops. The op lists live in native/kernels/elementwise/ops.h;
 * the addon exports every op's code by name (`elementwiseOps`) and the
 * functions below look codes up there, so no code is written on this side
 * (test/kernels/elementwise-ops.test.ts checks that both sides list the same
 * names). Outputs are preallocated by the caller and overwritten; `out` may be
 * the input.
 */
import { native } from '../native';

/** Ops of `binaryOp`. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;

/** Ops of `scalarOp`: x op s, except rsub = s - x and rdiv = s / x. */
export const SCALAR_OPS = ['add', 'mul', 'pow', 'rsub', 'rdiv', 'maximum', 'minimum'] as const;

/**
 * Ops of `unaryOp` / `unaryBackward`. `param` is the negative slope of
 * leakyRelu and the alpha of elu; other ops ignore it. gelu is the exact
 * (erf) form, PyTorch's default.
 */
export const UNARY_OPS = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'sign', 'square', 'reciprocal',
  'relu', 'sigmoid', 'tanh', 'leakyRelu', 'elu', 'gelu', 'silu', 'softplus',
] as const;

export type BinaryOpName = (typeof BINARY_OPS)[number];
export type ScalarOpName = (typeof SCALAR_OPS)[number];
export type UnaryOpName = (typeof UNARY_OPS)[number];

/** An op's code as the loaded addon numbers it: get it by name from binaryOpCode() and its siblings. */
export type BinaryOpCode = number;
export type ScalarOpCode = number;
export type UnaryOpCode = number;

/** Each family's op codes by op name, as the addon exports them (frozen objects). */
export interface ElementwiseOpCodes {
  readonly binary: Readonly<Record<string, number>>;
  readonly scalar: Readonly<Record<string, number>>;
  readonly unary: Readonly<Record<string, number>>;
}

let opCodes: ElementwiseOpCodes | undefined;

function codeOf(family: keyof ElementwiseOpCodes, name: string): number {
  opCodes ??= native().elementwiseOps;
  const code = opCodes[family][name];
  if (code === undefined) {
    throw new Error(`dendrite: the loaded native addon has no ${family} op '${name}'; it is older than this package: rebuild it (npm run build:native)`);
  }
  return code;
}

/** The code of binary op `name` in the loaded addon. */
export const binaryOpCode = (name: BinaryOpName): BinaryOpCode => codeOf('binary', name);
/** The code of scalar op `name` in the loaded addon. */
export const scalarOpCode = (name: ScalarOpName): ScalarOpCode => codeOf('scalar', name);
/** The code of unary op `name` in the loaded addon. */
export const unaryOpCode = (name: UnaryOpName): UnaryOpCode => codeOf('unary', name);

/** Largest rank `binaryOp` accepts. */
export const MAX_BROADCAST_RANK = 8;

export interface ElementwiseBindings {
  /** Every op's code by name, per family (native/kernels/elementwise/ops.h). */
  readonly elementwiseOps: ElementwiseOpCodes;
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
