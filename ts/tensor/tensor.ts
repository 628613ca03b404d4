/**
 * Tensor: a dense row-major array of float32 (or int32, for labels and
 * indices) in memory V8 owns, plus its place in the autograd graph.
 *
 * There is nothing to dispose: an unreachable tensor is garbage collected
 * like any object. Ops are available as methods (installed by
 * ./methods.ts) and as functions of the package.
 */
import { inspect } from 'util';
import type { GradNode } from '../autograd/node';
import type { DType, TypedData } from './dtype';
import { formatTensor } from './format';
import { NestedArray, toNested } from './nested';
import { formatShape, numel, Shape } from './shape';
import { Storage } from './storage';
import { UniformStorage } from './uniform';
import { memoryCache } from '../memory/instance';

export class Tensor {
  /** Sizes of the axes. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** @internal The memory (shared by views). */
  readonly _storage: Storage;
  /** @internal The node that made this tensor; null for leaves. */
  _node: GradNode | null;
  /** @internal */
  _requiresGrad: boolean;
  /** @internal */
  _grad: Tensor | null = null;

  /**
   * @internal Tensors are made by dd.tensor(), dd.zeros() and the other
   * creation functions, and by ops.
   */
  constructor(storage: Storage, shape: Shape, dtype: DType, node: GradNode | null = null) {
    this._storage = storage;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this._node = node;
    this._requiresGrad = node !== null;
  }

  /** Number of elements. */
  get numel(): number {
    return numel(this.shape);
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The shape, or the size of one axis (negative axes count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    const rank = this.shape.length;
    if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
      throw new RangeError(`size: dimension ${dim} is out of range for a tensor of shape ${formatShape(this.shape)}`);
    }
    return this.shape[dim < 0 ? dim + rank : dim];
  }

  /**
   * The float32 elements, in row-major order. This is the tensor's own
   * memory: writes change the tensor (and are invisible to autograd).
   */
  get data(): Float32Array {
    if (this.dtype !== 'float32') {
      throw new TypeError(`data: this tensor is ${this.dtype}; read its elements with .int32Data or .toArray()`);
    }
    const data = this._typed();
    this._storage.pinned = true;
    // User code may now reach this memory through views of the array: never recycle it.
    memoryCache.expose(data);
    return data as Float32Array;
  }

  /** The int32 elements of an int32 tensor (labels, indices), in row-major order. */
  get int32Data(): Int32Array {
    if (this.dtype !== 'int32') {
      throw new TypeError(`int32Data: this tensor is ${this.dtype}; read its elements with .data`);
    }
    const data = this._typed();
    this._storage.pinned = true;
    memoryCache.expose(data);
    return data as Int32Array;
  }

  /** @internal The typed array, for ops (does not pin the memory). */
  _typed(): TypedData {
    if (this._storage.released) {
      throw new Error(
        'this tensor was an intermediate of a graph that backward({ freeActivations: true }) released; ' +
          'read what you need from it before backward(), or leave freeActivations off',
      );
    }
    const storage = this._storage;
    return storage instanceof UniformStorage ? storage.elements() : storage.data;
  }

  /**
   * @internal The one value every element holds when this is a gradient
   * autograd carries as a number (tensor/uniform.ts), else null. Backward
   * rules that can work from the number ask this before reading elements.
   */
  _uniformValue(): number | null {
    const storage = this._storage;
    return storage instanceof UniformStorage && !storage.materialized ? storage.value : null;
  }

  /** @internal The float32 data, for ops. */
  _f32(op: string): Float32Array {
    if (this.dtype !== 'float32') {
      throw new TypeError(`${op}: expected a float32 tensor, got ${this.dtype} (shape ${formatShape(this.shape)})`);
    }
    return this._typed() as Float32Array;
  }

  /** Whether gradients flow to this tensor. Settable on leaves (tensors no op made). */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (typeof value !== 'boolean') throw new TypeError(`requiresGrad must be a boolean, got ${typeof value}`);
    if (this._node !== null) {
      throw new Error(
        `requiresGrad can only be changed on leaf tensors; this one was made by '${this._node.name}'. Use .detach() for a leaf copy`,
      );
    }
    if (value && this.dtype !== 'float32') {
      throw new TypeError(`requiresGrad: only float32 tensors can require gradients, this one is ${this.dtype}`);
    }
    this._requiresGrad = value;
  }

  /** Sets requiresGrad (default true) and returns this tensor, for chaining. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /**
   * The gradient accumulated by backward() (leaves, and tensors that called
   * retainGrad()). It sums over backward calls until reset: `t.grad = null`.
   */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (value === null || value === undefined) {
      this._grad = null;
      return;
    }
    if (!(value instanceof Tensor)) throw new TypeError('grad must be a Tensor or null');
    if (value.dtype !== 'float32') throw new TypeError(`grad must be float32, got ${value.dtype}`);
    if (value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new RangeError(`grad: shape ${formatShape(value.shape)} does not match the tensor's shape ${formatShape(this.shape)}`);
    }
    value._storage.pinned = true;
    this._grad = value;
  }

  /** The op that made this tensor (null for leaves), e.g. gradFn.name === 'matmul'. */
  get gradFn(): GradNode | null {
    return this._node;
  }

  /** True for tensors no recorded op made (user-created, or detached). */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** Asks backward() to keep this non-leaf tensor's gradient in .grad. */
  retainGrad(): this {
    if (this._node !== null) this._node.retainsGrad = true;
    else if (!this._requiresGrad) throw new Error('retainGrad: this tensor does not require grad');
    return this;
  }

  /** A tensor sharing this one's memory, cut out of the graph (no grad). */
  detach(): Tensor {
    this._storage.pinned = true;
    return new Tensor(this._storage, this.shape, this.dtype);
  }

  /** The single element as a number. */
  item(): number {
    const n = this.numel;
    if (n !== 1) {
      throw new RangeError(`item: only a tensor with one element converts to a number; this one has ${n} (shape ${formatShape(this.shape)})`);
    }
    return this._typed()[0];
  }

  /** The elements as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    return toNested(this._typed(), this.shape);
  }

  /** JSON.stringify(t) gives the nested arrays. */
  toJSON(): NestedArray {
    return this.toArray();
  }

  toString(): string {
    const suffixes: string[] = [];
    if (this.dtype !== 'float32') suffixes.push(`dtype=${this.dtype}`);
    if (this._node !== null) suffixes.push(`gradFn=<${this._node.name}>`);
    else if (this._requiresGrad) suffixes.push('requiresGrad=true');
    if (this._storage.released) return `tensor(<released>, shape=${formatShape(this.shape)})`;
    return formatTensor(this._typed(), this.shape, this.dtype, 'tensor', suffixes);
  }

  [inspect.custom](): string {
    return this.toString();
  }

  get [Symbol.toStringTag](): string {
    return 'Tensor';
  }
}

/** @internal A float32 tensor whose every element is `value` (rounded to float32), carried as that number. */
export function uniformTensor(value: number, shape: Shape): Tensor {
  return new Tensor(new UniformStorage(Math.fround(value), numel(shape)), shape, 'float32');
}

/** @internal Wraps op output data as a tensor. */
export function wrap(data: TypedData, shape: Shape, node: GradNode | null = null): Tensor {
  const dtype: DType = data instanceof Int32Array ? 'int32' : 'float32';
  return new Tensor(new Storage(data, false), shape, dtype, node);
}
