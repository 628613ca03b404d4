/**
 * The Tensor methods that run ops or autograd: `a.matmul(b).relu().sum()`,
 * `loss.backward()`. Each is the function of the same name with the tensor
 * as first argument; installed on Tensor.prototype when the package loads.
 */
import { backward, BackwardOptions } from '../autograd/engine';
import * as ops from '../ops';
import { copyInto, fillInPlace } from '../ops/in-place';
import type { DType } from './dtype';
import { Tensor } from './tensor';

/** The other operand of an elementwise method: a tensor (broadcast) or a number. */
export type Operand = Tensor | number;

declare module './tensor' {
  interface Tensor {
    /** Runs backpropagation from this tensor (a one-element loss, or pass a gradient of this shape). */
    backward(gradient?: Tensor | null, options?: BackwardOptions): void;
    backward(options: BackwardOptions): void;
    add(other: Operand): Tensor;
    sub(other: Operand): Tensor;
    mul(other: Operand): Tensor;
    div(other: Operand): Tensor;
    pow(exponent: Operand): Tensor;
    maximum(other: Operand): Tensor;
    minimum(other: Operand): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    sign(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    elu(alpha?: number): Tensor;
    gelu(): Tensor;
    silu(): Tensor;
    softplus(beta?: number): Tensor;
    matmul(other: Tensor): Tensor;
    sum(axis?: number | readonly number[] | null, keepDims?: boolean): Tensor;
    mean(axis?: number | readonly number[] | null, keepDims?: boolean): Tensor;
    max(axis?: number | null, keepDims?: boolean): Tensor;
    min(axis?: number | null, keepDims?: boolean): Tensor;
    argmax(axis?: number | null, keepDims?: boolean): Tensor;
    argmin(axis?: number | null, keepDims?: boolean): Tensor;
    reshape(shape: readonly number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    unsqueeze(axis: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    movedim(from: number, to: number): Tensor;
    expand(shape: readonly number[]): Tensor;
    narrow(axis: number, start: number, length: number): Tensor;
    slice(axis: number, start?: number | null, end?: number | null, step?: number): Tensor;
    indexSelect(axis: number, indices: Tensor): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    /** A copy with its own memory (gradients flow through it). */
    clone(): Tensor;
    eq(other: Operand): Tensor;
    ne(other: Operand): Tensor;
    gt(other: Operand): Tensor;
    ge(other: Operand): Tensor;
    lt(other: Operand): Tensor;
    le(other: Operand): Tensor;
    /** This tensor as `dtype` (itself when it already is). */
    to(dtype: DType): Tensor;
    /** As float32. */
    float(): Tensor;
    /** As int32 (toward zero). */
    int(): Tensor;
    /** Copies src's values into this tensor (not tracked by autograd: use under noGrad for parameters). */
    copy_(src: Tensor): this;
    /** Sets every element to value (not tracked by autograd). */
    fill_(value: number): this;
    /** Sets every element to 0 (not tracked by autograd), e.g. p.grad.zero_(). */
    zero_(): this;
  }
}

const methods: { [name: string]: (this: Tensor, ...args: never[]) => unknown } = {
  backward(gradient?: Tensor | BackwardOptions | null, options?: BackwardOptions) {
    backward(this, gradient, options);
  },
  add(o: Operand) { return ops.add(this, o); },
  sub(o: Operand) { return ops.sub(this, o); },
  mul(o: Operand) { return ops.mul(this, o); },
  div(o: Operand) { return ops.div(this, o); },
  pow(o: Operand) { return ops.pow(this, o); },
  maximum(o: Operand) { return ops.maximum(this, o); },
  minimum(o: Operand) { return ops.minimum(this, o); },
  neg() { return ops.neg(this); },
  abs() { return ops.abs(this); },
  exp() { return ops.exp(this); },
  log() { return ops.log(this); },
  sqrt() { return ops.sqrt(this); },
  sign() { return ops.sign(this); },
  square() { return ops.square(this); },
  reciprocal() { return ops.reciprocal(this); },
  clamp(min?: number | null, max?: number | null) { return ops.clamp(this, min, max); },
  relu() { return ops.relu(this); },
  sigmoid() { return ops.sigmoid(this); },
  tanh() { return ops.tanh(this); },
  leakyRelu(slope?: number) { return ops.leakyRelu(this, slope); },
  elu(alpha?: number) { return ops.elu(this, alpha); },
  gelu() { return ops.gelu(this); },
  silu() { return ops.silu(this); },
  softplus(beta?: number) { return ops.softplus(this, beta); },
  matmul(o: Tensor) { return ops.matmul(this, o); },
  sum(axis?: number | readonly number[] | null, keepDims?: boolean) { return ops.sum(this, axis, keepDims); },
  mean(axis?: number | readonly number[] | null, keepDims?: boolean) { return ops.mean(this, axis, keepDims); },
  max(axis?: number | null, keepDims?: boolean) { return ops.max(this, axis, keepDims); },
  min(axis?: number | null, keepDims?: boolean) { return ops.min(this, axis, keepDims); },
  argmax(axis?: number | null, keepDims?: boolean) { return ops.argmax(this, axis, keepDims); },
  argmin(axis?: number | null, keepDims?: boolean) { return ops.argmin(this, axis, keepDims); },
  reshape(shape: readonly number[]) { return ops.reshape(this, shape); },
  view(shape: readonly number[]) { return ops.view(this, shape); },
  flatten(startDim?: number, endDim?: number) { return ops.flatten(this, startDim, endDim); },
  squeeze(axis?: number | readonly number[]) { return ops.squeeze(this, axis); },
  unsqueeze(axis: number) { return ops.unsqueeze(this, axis); },
  permute(dims: readonly number[]) { return ops.permute(this, dims); },
  transpose(a: number, b: number) { return ops.transpose(this, a, b); },
  t() { return ops.t(this); },
  movedim(from: number, to: number) { return ops.movedim(this, from, to); },
  expand(shape: readonly number[]) { return ops.expand(this, shape); },
  narrow(axis: number, start: number, length: number) { return ops.narrow(this, axis, start, length); },
  slice(axis: number, start?: number | null, end?: number | null, step?: number) { return ops.slice(this, axis, start, end, step); },
  indexSelect(axis: number, indices: Tensor) { return ops.indexSelect(this, axis, indices); },
  softmax(axis?: number) { return ops.softmax(this, axis); },
  logSoftmax(axis?: number) { return ops.logSoftmax(this, axis); },
  clone() { return ops.clone(this); },
  eq(o: Operand) { return ops.eq(this, o); },
  ne(o: Operand) { return ops.ne(this, o); },
  gt(o: Operand) { return ops.gt(this, o); },
  ge(o: Operand) { return ops.ge(this, o); },
  lt(o: Operand) { return ops.lt(this, o); },
  le(o: Operand) { return ops.le(this, o); },
  to(dtype: DType) { return ops.toDType(this, dtype); },
  float() { return ops.toDType(this, 'float32'); },
  int() { return ops.toDType(this, 'int32'); },
  copy_(src: Tensor) { return copyInto(this, src); },
  fill_(value: number) { return fillInPlace(this, value); },
  zero_() { return fillInPlace(this, 0); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
