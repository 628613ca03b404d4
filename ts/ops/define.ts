/**
 * How an op is declared and run. An OpDef is one entry of a family's table:
 * its name, its shape rule, its forward kernel call and its backward rule
 * (as PyTorch's derivatives.yaml lists them). apply() runs the forward and,
 * when a gradient may be needed, records a GradNode whose rule closes over
 * the inputs, the output and what the forward saved.
 */
import { GradNode } from '../autograd/node';
import { isGradEnabled } from '../autograd/grad-mode';
import { allocFloat32, allocInt32 } from '../tensor/alloc';
import type { TypedData } from '../tensor/dtype';
import { numel, Shape } from '../tensor/shape';
import { Tensor, wrap } from '../tensor/tensor';
import { checkTensor } from './checks';

export interface BackwardContext<A, S> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
  /** What forward returned for backward's use. */
  readonly saved: S;
  /** needs[i]: whether input i wants a gradient (skip the work otherwise). */
  readonly needs: readonly boolean[];
}

export interface OpDef<A = undefined, S = undefined> {
  readonly name: string;
  /** Checks the inputs and attributes; gives the output shape. Errors name the op and the shapes. */
  shape(inputs: readonly Tensor[], attrs: A): Shape;
  /**
   * Computes the output into `out` (numel(outShape) floats, stale contents).
   * `recording` says whether backward may run; returns what backward needs
   * beyond the inputs and the output.
   */
  forward(inputs: readonly Tensor[], out: Float32Array, attrs: A, outShape: Shape, recording: boolean): S;
  /**
   * Gradients for the inputs, each of its input's shape (null where
   * needs[i] is false), from the output gradient g. Runs with recording off;
   * may use ops on tensors or call kernels on buffers.
   */
  backward(g: Tensor, ctx: BackwardContext<A, S>): ReadonlyArray<Tensor | null>;
  /** Returns saved buffers to the pool once the node is freed. */
  free?(saved: S): void;
}

/** Whether an op on these inputs records a node. */
export function recording(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t._requiresGrad) return true;
  return false;
}

/** Records a node for `output` (already computed) when any input requires grad. */
export function record<A, S>(
  def: Pick<OpDef<A, S>, 'name' | 'backward' | 'free'>,
  inputs: readonly Tensor[], attrs: A, saved: S, output: Tensor): Tensor {
  const needs = inputs.map((t) => t._requiresGrad);
  const node = new GradNode(
    def.name,
    inputs,
    needs,
    (g, n) => def.backward(g, { inputs, output, attrs, saved, needs: n }),
    def.free ? () => def.free!(saved) : null,
  );
  output._node = node;
  output._requiresGrad = true;
  node.output = output;
  return output;
}

/**
 * Runs a data-movement op (permute, concat, slice, ...) on float32 or int32
 * inputs: int32 data is moved as its bit patterns, and never records a node.
 */
export function applyLayout<A, S>(def: OpDef<A, S>, inputs: readonly Tensor[], attrs: A): Tensor {
  const first = checkTensor(inputs[0], def.name, inputs.length === 1 ? 'input' : 'input 0');
  if (first.dtype === 'float32') return apply(def, inputs, attrs);
  for (let i = 0; i < inputs.length; i++) checkTensor(inputs[i], def.name, `input ${i}`, first.dtype);
  const shape = def.shape(inputs, attrs);
  const out = allocInt32(numel(shape));
  const saved = def.forward(inputs, floatBits(out), attrs, shape, false);
  if (def.free) def.free(saved);
  return wrap(out, shape);
}

/** Runs an op on float32 inputs. */
export function apply<A, S>(def: OpDef<A, S>, inputs: readonly Tensor[], attrs: A): Tensor {
  for (let i = 0; i < inputs.length; i++) checkTensor(inputs[i], def.name, inputs.length === 1 ? 'input' : `input ${i}`, 'float32');
  const shape = def.shape(inputs, attrs);
  const out = allocFloat32(numel(shape));
  const rec = recording(inputs);
  const saved = def.forward(inputs, out, attrs, shape, rec);
  const output = wrap(out, shape);
  if (!rec) {
    if (def.free) def.free(saved);
    return output;
  }
  return record(def, inputs, attrs, saved, output);
}

/** The data of a tensor as a Float32Array over the same bytes (for moving int32 data with float kernels). */
export function floatBits(data: TypedData): Float32Array {
  return data instanceof Float32Array ? data : new Float32Array(data.buffer, data.byteOffset, data.length);
}

/** A tensor's data for a data-movement kernel, whatever its dtype. */
export function bitsOf(t: Tensor): Float32Array {
  return floatBits(t._typed());
}
