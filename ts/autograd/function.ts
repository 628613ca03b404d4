/**
 * Custom differentiable functions, as torch.autograd.Function: the user
 * writes a forward (run with graph recording off) and its backward, and the
 * function then takes part in backward()/grad() exactly as a built-in op
 * does — it records one node through the same machinery (ops/define.ts).
 *
 * @example
 * const scaledExp = dd.autograd.defineFunction({
 *   name: 'scaledExp',
 *   forward(ctx, x: dd.Tensor, k: number) {
 *     const y = x.exp().mul(k);
 *     ctx.saveForBackward(y);
 *     return y;
 *   },
 *   backward(ctx, g) {
 *     const [y] = ctx.savedTensors;
 *     return [g.mul(y!), null]; // one per forward argument: null for k
 *   },
 * });
 * const y = scaledExp.apply(x, 3);
 *
 * The gradOutput given to backward is only valid while backward runs (its
 * memory is recycled afterwards): clone it to keep it.
 */
import { isGradEnabled, noGrad } from './grad-mode';
import { record } from '../ops/define';
import { formatShape, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** What forward and backward of one application share: saved tensors, and any fields of your own. */
export class FunctionContext {
  /** needsInputGrad[i]: whether forward argument i is a tensor that requires grad (skip its gradient otherwise). */
  readonly needsInputGrad: readonly boolean[];
  #saved: ReadonlyArray<Tensor | null> | null = [];

  // Fields of the user's own (ctx.k = 3 in forward, read in backward), as PyTorch's ctx allows.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [field: string]: any;

  /** @internal */
  constructor(readonly functionName: string, needsInputGrad: readonly boolean[]) {
    this.needsInputGrad = Object.freeze(needsInputGrad.slice());
  }

  /** Keeps tensors (inputs, outputs or intermediates) for backward; null holds a place. */
  saveForBackward(...tensors: Array<Tensor | null | undefined>): void {
    if (this.#saved === null) throw this.freedError();
    tensors.forEach((t, i) => {
      if (t !== null && t !== undefined && !(t instanceof Tensor)) {
        throw new TypeError(
          `autograd.Function '${this.functionName}': saveForBackward takes tensors (or null); argument ${i} is ${typeof t}. Keep other values as fields: ctx.name = value`,
        );
      }
    });
    this.#saved = Object.freeze(tensors.map((t) => t ?? null));
  }

  /** The tensors saveForBackward kept, in order. */
  get savedTensors(): ReadonlyArray<Tensor | null> {
    if (this.#saved === null) throw this.freedError();
    return this.#saved;
  }

  /** @internal Drops the saved tensors (the node was freed). */
  _free(): void {
    this.#saved = null;
  }

  private freedError(): Error {
    return new Error(
      `autograd.Function '${this.functionName}': the saved tensors were freed by the first backward(); pass { retainGraph: true } to go through the graph again`,
    );
  }
}

/** The two halves of a custom function. Args are forward's arguments after ctx: tensors and any other values. */
export interface FunctionSpec<Args extends unknown[]> {
  /** Shown in errors and as the node's name (y.gradFn.name). */
  name: string;
  /** Computes the output, with graph recording off. */
  forward(ctx: FunctionContext, ...args: Args): Tensor;
  /**
   * The gradients of forward's arguments, given the output's gradient: one
   * per argument, in order, each a tensor of that argument's shape or null
   * (for non-tensor arguments, and for inputs where ctx.needsInputGrad is
   * false). A lone Tensor is accepted when forward takes one argument.
   */
  backward(ctx: FunctionContext, gradOutput: Tensor): ReadonlyArray<Tensor | null | undefined> | Tensor | null;
}

/** A custom function: `fn.apply(...args)` runs it and records it for backward. */
export interface DefinedFunction<Args extends unknown[]> {
  readonly name: string;
  apply(...args: Args): Tensor;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return v instanceof Tensor ? `a Tensor of shape ${formatShape(v.shape)}` : typeof v;
}

/** The gradients backward returned, as one per tensor input of forward, checked. */
function gradientsOf(
  spec: FunctionSpec<unknown[]>, returned: unknown, args: readonly unknown[], tensorArgs: readonly number[], needs: readonly boolean[],
): Array<Tensor | null> {
  const where = `autograd.Function '${spec.name}'`;
  const list: readonly unknown[] | null =
    Array.isArray(returned) ? returned : args.length === 1 && (returned instanceof Tensor || returned === null) ? [returned] : null;
  if (list === null) {
    throw new TypeError(`${where}: backward must return an array of gradients, one per forward argument (got ${describe(returned)})`);
  }
  if (list.length !== args.length) {
    throw new RangeError(
      `${where}: backward returned ${list.length} gradient${list.length === 1 ? '' : 's'} but forward took ${args.length} argument${args.length === 1 ? '' : 's'}; ` +
        'return one per argument, null where none is needed (non-tensor arguments included)',
    );
  }
  list.forEach((gi, i) => {
    if (gi !== null && gi !== undefined && !(args[i] instanceof Tensor)) {
      throw new TypeError(`${where}: backward returned a gradient for input ${i}, which is not a tensor (${typeof args[i]}); give null there`);
    }
  });
  return tensorArgs.map((i, k) => {
    const gi = list[i];
    if (gi === null || gi === undefined || !needs[k]) return null;
    const input = args[i] as Tensor;
    if (!(gi instanceof Tensor)) throw new TypeError(`${where}: backward's gradient for input ${i} must be a Tensor or null, got ${describe(gi)}`);
    if (gi.dtype !== 'float32') throw new TypeError(`${where}: backward's gradient for input ${i} must be float32, got ${gi.dtype}`);
    if (!shapesEqual(gi.shape, input.shape)) {
      throw new RangeError(`${where}: backward gave a gradient of shape ${formatShape(gi.shape)} for input ${i} of shape ${formatShape(input.shape)}`);
    }
    return gi;
  });
}

/** Runs `spec` on `args` and, when a gradient may be needed, records it as one node of the graph. */
function applyFunction(spec: FunctionSpec<unknown[]>, args: unknown[]): Tensor {
  const tensorArgs: number[] = [];
  args.forEach((a, i) => {
    if (a instanceof Tensor) tensorArgs.push(i);
  });
  const inputs = tensorArgs.map((i) => args[i] as Tensor);
  const ctx = new FunctionContext(spec.name, args.map((a) => a instanceof Tensor && a._requiresGrad));
  let output: unknown = noGrad(() => spec.forward(ctx, ...args));
  if (!(output instanceof Tensor)) {
    throw new TypeError(`autograd.Function '${spec.name}': forward must return a Tensor, got ${describe(output)}`);
  }
  const recording = isGradEnabled() && inputs.some((t) => t._requiresGrad);
  if (!recording || output.dtype !== 'float32') {
    ctx._free();
    return output;
  }
  // A tensor that already has a place in the graph (an input returned as is)
  // gets an alias sharing its memory, so the new node leaves the original alone.
  if (output._requiresGrad || output._node !== null) output = output.detach();
  return record(
    {
      name: spec.name,
      backward: (g, { needs }) => gradientsOf(spec, spec.backward(ctx, g), args, tensorArgs, needs),
      free: () => ctx._free(),
    },
    inputs, undefined, undefined, output as Tensor,
  );
}

function checkSpec(spec: unknown, where: string): asserts spec is FunctionSpec<unknown[]> {
  const s = spec as Partial<FunctionSpec<unknown[]>> | null;
  if (s === null || typeof s !== 'object') throw new TypeError(`${where}: expected { name, forward, backward }, got ${describe(spec)}`);
  if (typeof s.name !== 'string' || s.name.length === 0) throw new TypeError(`${where}: name must be a non-empty string`);
  if (typeof s.forward !== 'function') throw new TypeError(`${where} '${s.name}': forward must be a function (ctx, ...inputs) => Tensor`);
  if (typeof s.backward !== 'function') throw new TypeError(`${where} '${s.name}': backward must be a function (ctx, gradOutput) => gradients`);
}

/** Makes a custom differentiable function from its forward and backward (see the example at the top). */
export function defineFunction<Args extends unknown[]>(spec: FunctionSpec<Args>): DefinedFunction<Args> {
  checkSpec(spec, 'defineFunction');
  const own = { name: spec.name, forward: spec.forward, backward: spec.backward } as FunctionSpec<unknown[]>;
  return Object.freeze({ name: own.name, apply: (...args: Args) => applyFunction(own, args) });
}

/**
 * The class form, as PyTorch writes it: static forward and backward, run
 * with the static apply.
 *
 * @example
 * class Cube extends dd.autograd.Function {
 *   static forward(ctx: FunctionContext, x: Tensor) { ctx.saveForBackward(x); return x.pow(3); }
 *   static backward(ctx: FunctionContext, g: Tensor) { const [x] = ctx.savedTensors; return [g.mul(x!.square().mul(3))]; }
 * }
 * const y = Cube.apply(x);
 */
export abstract class AutogradFunction {
  static forward(_ctx: FunctionContext, ..._args: unknown[]): Tensor {
    throw new TypeError(`autograd.Function '${this.name}': define static forward(ctx, ...inputs)`);
  }

  static backward(_ctx: FunctionContext, _gradOutput: Tensor): ReadonlyArray<Tensor | null | undefined> | Tensor | null {
    throw new TypeError(`autograd.Function '${this.name}': define static backward(ctx, gradOutput)`);
  }

  static apply(...args: unknown[]): Tensor {
    return applyFunction({ name: this.name, forward: this.forward.bind(this), backward: this.backward.bind(this) }, args);
  }
}
