/**
 * Module: the base of every layer and model.
 *
 * Parameters and submodules are found from the module's own fields, in the
 * order they were assigned, as PyTorch finds them through __setattr__:
 *   - a field holding a Module is a submodule named after the field;
 *   - a field holding an array of Modules gives submodules `field.0`, `field.1`, …;
 *   - a field holding a parameter tensor is a parameter. A tensor is a
 *     parameter when it went through `parameter()` / `registerParameter()`,
 *     or when it is a leaf that requires gradients the first time the module
 *     is scanned (so freezing it later, `requiresGrad = false`, keeps it a
 *     parameter; a cached op output is never taken for one).
 * `registerParameter`, `registerBuffer` and `registerModule` do the same
 * explicitly (a buffer is state saved in the state dict but not trained).
 * Dotted names follow the tree: `0.weight`, `features.conv1.bias`.
 */
import { types } from 'util';
import { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { modeOverride } from './mode';

const parameterTensors = new WeakSet<Tensor>();

/** Marks a tensor as a parameter (and makes it require gradients); returns it. */
export function parameter(t: Tensor): Tensor {
  t.requiresGrad = true;
  parameterTensors.add(t);
  return t;
}

function isParameterField(v: unknown): v is Tensor {
  if (!(v instanceof Tensor)) return false;
  if (parameterTensors.has(v)) return true;
  if (v.requiresGrad && v.isLeaf) {
    parameterTensors.add(v);
    return true;
  }
  return false;
}

/** Something the state dict accepts: a Tensor, or anything with a shape and data. */
export interface TensorLike {
  shape: readonly number[];
  data: ArrayLike<number>;
  dtype?: string;
}

export type StateDict = Record<string, Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeText(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/**
 * What a module's forward returns: one tensor, or several (a model with
 * auxiliary heads returns an array or a record of named tensors).
 */
export type ModuleOutput = Tensor | readonly Tensor[] | { readonly [name: string]: Tensor };

/** A module whatever its output (what the tree walks hold). */
// eslint-disable-next-line @typescript-eslint/no-use-before-define
export type AnyModule = Module<ModuleOutput>;

export abstract class Module<Out extends ModuleOutput = Tensor> {
  // The stored mode; a # field stays out of the Object.entries scans of namedChildren and ownNamedParameters.
  #training = true;

  /**
   * Training mode (dropout active). Inside nn.withMode naming this module's
   * tree it reads as that call's mode; elsewhere it is the stored flag that
   * train()/eval() set (assigning it sets the stored flag too).
   */
  get training(): boolean {
    return modeOverride(this) ?? this.#training;
  }

  set training(mode: boolean) {
    this.#training = mode;
  }

  private readonly explicitBuffers = new Map<string, Tensor | null>();

  /** The computation. Subclasses define it; call it through `call()` (or directly). */
  abstract forward(...inputs: Tensor[]): Out;

  /** Runs the module on its inputs (the `module(x)` of PyTorch). */
  call(...inputs: Tensor[]): Out {
    return this.forward(...inputs);
  }

  /** Registers (or replaces) a parameter under `name`, as a field of the module. */
  registerParameter(name: string, t: Tensor | null): void {
    this.checkName(name, 'registerParameter');
    if (t !== null) parameter(t);
    (this as unknown as Record<string, unknown>)[name] = t;
  }

  /** Registers a buffer: state saved in the state dict but not trained (no gradient). */
  registerBuffer(name: string, t: Tensor | null): void {
    this.checkName(name, 'registerBuffer');
    this.explicitBuffers.set(name, t);
  }

  /** Registers a submodule under `name`, as a field of the module. */
  registerModule(name: string, m: AnyModule | null): void {
    this.checkName(name, 'registerModule');
    (this as unknown as Record<string, unknown>)[name] = m;
  }

  private checkName(name: string, where: string): void {
    if (typeof name !== 'string' || name.length === 0 || name.includes('.')) {
      throw new TypeError(`${this.constructor.name}.${where}: the name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
  }

  /** Direct submodules with their names. */
  *namedChildren(): Generator<[string, AnyModule]> {
    for (const [key, v] of Object.entries(this)) {
      if (v instanceof Module) yield [key, v];
      else if (Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module)) {
        for (let i = 0; i < v.length; i++) yield [`${key}.${i}`, v[i] as AnyModule];
      }
    }
  }

  *children(): Generator<AnyModule> {
    for (const [, m] of this.namedChildren()) yield m;
  }

  /** This module and every descendant, depth first, each once, with dotted names ('' for this one). */
  *namedModules(prefix = '', seen: Set<AnyModule> = new Set()): Generator<[string, AnyModule]> {
    if (seen.has(this)) return;
    seen.add(this);
    yield [prefix, this];
    for (const [name, child] of this.namedChildren()) {
      yield* child.namedModules(prefix === '' ? name : `${prefix}.${name}`, seen);
    }
  }

  *modules(): Generator<AnyModule> {
    for (const [, m] of this.namedModules()) yield m;
  }

  /** This module's own parameters (not its children's). */
  *ownNamedParameters(): Generator<[string, Tensor]> {
    for (const [key, v] of Object.entries(this)) if (isParameterField(v)) yield [key, v];
  }

  /** Every parameter of the tree with its dotted name, each tensor once (shared ones under their first name). */
  *namedParameters(): Generator<[string, Tensor]> {
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.ownNamedParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        yield [prefix === '' ? name : `${prefix}.${name}`, p];
      }
    }
  }

  /** Every parameter of the tree, each once, in registration order (what an optimizer takes). */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Every buffer of the tree with its dotted name. */
  *namedBuffers(): Generator<[string, Tensor]> {
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of m.explicitBuffers) {
        if (b !== null) yield [prefix === '' ? name : `${prefix}.${name}`, b];
      }
    }
  }

  /** Number of trainable values (elements of every parameter). */
  numParameters(): number {
    let n = 0;
    for (const p of this.parameters()) n += p.numel;
    return n;
  }

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (dropout off); returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls fn on every module of the tree (children first, as PyTorch's apply); returns this. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /**
   * A snapshot of every parameter and buffer by dotted name: new tensors
   * holding copies, so training on afterwards does not change it.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) out[name] = snapshot(p);
    for (const [name, b] of this.namedBuffers()) out[name] = snapshot(b);
    return out;
  }

  /**
   * Copies values into this module's parameters and buffers, in place (an
   * optimizer holding them keeps working). Shapes must match exactly. With
   * strict (the default) the keys must match too; otherwise missing and
   * unexpected keys are returned. Nothing is changed when an error is thrown.
   */
  loadStateDict(dict: Record<string, TensorLike>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const where = `${this.constructor.name}.loadStateDict`;
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...own.keys()].filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !own.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length > 0) parts.push(`missing keys: ${missingKeys.join(', ')}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
      throw new RangeError(`${where}: the state dict does not match the module (${parts.join('; ')}). Pass { strict: false } to load the keys that match.`);
    }
    const errors: string[] = [];
    for (const [name, target] of own) {
      const src = dict[name];
      if (src === undefined) continue;
      if (!src || !Array.isArray(src.shape) || !hasValues(src)) {
        errors.push(`${name}: not a tensor (needs shape and data)`);
      } else if (!sameShape(src.shape, target.shape)) {
        errors.push(`${name}: shape ${shapeText(src.shape)} in the state dict, ${shapeText(target.shape)} in the module`);
      } else if (valuesOf(src).length !== target.numel) {
        errors.push(`${name}: ${valuesOf(src).length} values for shape ${shapeText(src.shape)}`);
      } else if (src.dtype !== undefined && src.dtype !== target.dtype) {
        errors.push(`${name}: dtype ${src.dtype} in the state dict, ${target.dtype} in the module`);
      }
    }
    if (errors.length > 0) throw new RangeError(`${where}: ${errors.join('; ')}`);
    for (const [name, target] of own) {
      const src = dict[name];
      if (src !== undefined) target._typed().set(valuesOf(src));
    }
    return { missingKeys, unexpectedKeys };
  }

  /** A short description of this module's settings, shown by toString(). */
  extraRepr(): string {
    return '';
  }

  /** The tree as PyTorch prints it. */
  toString(): string {
    const children = [...this.namedChildren()];
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}

function snapshot(t: Tensor): Tensor {
  return tensor(t._typed().slice(), t.shape, { dtype: t.dtype });
}

/** The values of a state-dict entry (int32 tensors included, whose .data is not float). */
function valuesOf(src: TensorLike): ArrayLike<number> {
  if (src instanceof Tensor) return src._typed();
  if (src.data !== undefined) return src.data;
  // A Tensor posted to another thread arrives as a plain object with its memory under _storage.
  return (src as unknown as { _storage: { data: ArrayLike<number> } })._storage.data;
}

/** Whether `src` carries values: a Tensor, { shape, data }, or a structured-cloned Tensor. */
function hasValues(src: TensorLike): boolean {
  if (src instanceof Tensor || src.data !== undefined) return true;
  const cloned = (src as unknown as { _storage?: { data?: unknown } })._storage?.data;
  return types.isFloat32Array(cloned) || types.isInt32Array(cloned);
}
