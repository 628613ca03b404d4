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
 * explicitly (a buffer is state saved in the state dict but not trained; its
 * field stays the source of truth: reassigning it replaces the buffer).
 * Dotted names follow the tree: `0.weight`, `features.conv1.bias`.
 *
 * call() runs forward with the forward hooks (hooks.ts) and names the
 * submodule an error comes from (layer-errors.ts).
 */
import { types } from 'util';
import { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';
import { rejectUnknownOptions } from '../options';
import { modeOverride } from './mode';
import { ForwardHook, ForwardPreHook, HookList, RemovableHandle, replacedInputs } from './hooks';
import { enterCall, leaveCall, nameLayer } from './layer-errors';
import { summary, SummaryOptions } from './summary';

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

  /** The buffers' field names; whether each goes into the state dict. The fields hold the tensors. */
  #buffers = new Map<string, { persistent: boolean }>();
  // Hook lists, made on first registration so that call() without hooks allocates nothing. Stored
  // with their module and output types erased, so that every subclass stays assignable to Module.
  #preHooks: HookList<ForwardPreHook<AnyModule>> | null = null;
  #hooks: HookList<ForwardHook<AnyModule, ModuleOutput>> | null = null;

  /** The computation. Subclasses define it; call it through `call()` (or directly). */
  abstract forward(...inputs: Tensor[]): Out;

  /**
   * Runs the module on its inputs (the `module(x)` of PyTorch): forward,
   * with the forward hooks around it. An error escaping a submodule is
   * rethrown with the submodule's path and class in front (same class,
   * the original as `cause`).
   */
  call(...inputs: Tensor[]): Out {
    enterCall(this);
    try {
      if (this.#preHooks === null && this.#hooks === null) return this.forward(...inputs);
      return this.callWithHooks(inputs);
    } catch (err) {
      throw nameLayer(err);
    } finally {
      leaveCall();
    }
  }

  private callWithHooks(inputs: Tensor[]): Out {
    const self = this as unknown as AnyModule;
    let args = inputs;
    for (const hook of this.#preHooks?.entries ?? []) {
      args = replacedInputs(hook(self, args), `${this.constructor.name}.call`) ?? args;
    }
    let output: ModuleOutput = this.forward(...args);
    for (const hook of this.#hooks?.entries ?? []) {
      const replaced = hook(self, args, output);
      if (replaced !== undefined) output = replaced;
    }
    return output as Out;
  }

  /**
   * Adds a hook call() runs before forward: hook(module, inputs) may return
   * new inputs (a Tensor or an array) or nothing. Hooks run in registration
   * order; the handle's remove() takes it off.
   */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    this.#preHooks ??= new HookList();
    return this.#preHooks.add(hook as ForwardPreHook<AnyModule>, `${this.constructor.name}.registerForwardPreHook`);
  }

  /**
   * Adds a hook call() runs after forward: hook(module, inputs, output) may
   * return a replacement output or nothing. Hooks run in registration order;
   * the handle's remove() takes it off.
   */
  registerForwardHook(hook: ForwardHook<this, Out>): RemovableHandle {
    this.#hooks ??= new HookList();
    return this.#hooks.add(hook as unknown as ForwardHook<AnyModule, ModuleOutput>, `${this.constructor.name}.registerForwardHook`);
  }

  /** @internal Whether call() runs hooks here (containers fuse children only where none would be skipped). */
  _hasForwardHooks(): boolean {
    return (this.#preHooks?.entries.length ?? 0) + (this.#hooks?.entries.length ?? 0) > 0;
  }

  /** Registers (or replaces) a parameter under `name`, as a field of the module. */
  registerParameter(name: string, t: Tensor | null): void {
    this.checkName(name, 'registerParameter');
    if (t !== null && !(t instanceof Tensor)) throw new TypeError(`${this.constructor.name}.registerParameter: '${name}' must be a Tensor or null`);
    if (this.#buffers.has(name)) throw new TypeError(`${this.constructor.name}.registerParameter: '${name}' is already a buffer`);
    if (t !== null) parameter(t);
    (this as unknown as Record<string, unknown>)[name] = t;
  }

  /**
   * Registers a buffer: state that is not trained (never a parameter, even
   * if it requires grad), kept in the field `this[name]`. The field stays
   * the source of truth: assigning `this[name] = t` replaces the buffer
   * (null removes it from the state). With `persistent: false` it is left
   * out of stateDict()/loadStateDict() (namedBuffers() still lists it).
   */
  registerBuffer(name: string, t: Tensor | null, options: { persistent?: boolean } = {}): void {
    const where = `${this.constructor.name}.registerBuffer`;
    this.checkName(name, 'registerBuffer');
    rejectUnknownOptions(options, ['persistent'], where);
    const persistent = options.persistent ?? true;
    if (typeof persistent !== 'boolean') throw new TypeError(`${where}: persistent must be a boolean, got ${typeof persistent}`);
    if (t !== null && !(t instanceof Tensor)) throw new TypeError(`${where}: '${name}' must be a Tensor or null`);
    const current = (this as unknown as Record<string, unknown>)[name];
    if (!this.#buffers.has(name) && (current instanceof Module || (current instanceof Tensor && parameterTensors.has(current)))) {
      throw new TypeError(`${where}: '${name}' is already a ${current instanceof Module ? 'submodule' : 'parameter'}`);
    }
    this.#buffers.set(name, { persistent });
    (this as unknown as Record<string, unknown>)[name] = t;
  }

  /** Registers a submodule under `name`, as a field of the module. */
  registerModule(name: string, m: AnyModule | null): void {
    this.checkName(name, 'registerModule');
    if (this.#buffers.has(name)) throw new TypeError(`${this.constructor.name}.registerModule: '${name}' is already a buffer`);
    (this as unknown as Record<string, unknown>)[name] = m;
  }

  private checkName(name: string, where: string): void {
    if (typeof name !== 'string' || name.length === 0 || name.includes('.')) {
      throw new TypeError(`${this.constructor.name}.${where}: the name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
    if (name in this && !Object.prototype.hasOwnProperty.call(this, name)) {
      throw new TypeError(`${this.constructor.name}.${where}: '${name}' is a method or property of ${this.constructor.name}; choose another name`);
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
    for (const [key, v] of Object.entries(this)) if (!this.#buffers.has(key) && isParameterField(v)) yield [key, v];
  }

  /** This module's own buffers (not its children's), read from their fields; only persistent ones if asked. */
  private *ownNamedBuffers(persistentOnly: boolean): Generator<[string, Tensor]> {
    for (const [name, { persistent }] of this.#buffers) {
      if (persistentOnly && !persistent) continue;
      const b = (this as unknown as Record<string, unknown>)[name];
      if (b === null || b === undefined) continue;
      if (!(b instanceof Tensor)) {
        throw new TypeError(`${this.constructor.name}: the buffer '${name}' holds ${typeof b}; a buffer field must hold a Tensor or null`);
      }
      yield [name, b];
    }
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

  /** Every buffer of the tree with its dotted name (non-persistent ones too). */
  *namedBuffers(): Generator<[string, Tensor]> {
    yield* this.buffersOfTree(false);
  }

  private *buffersOfTree(persistentOnly: boolean): Generator<[string, Tensor]> {
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of (m as Module<ModuleOutput>).ownNamedBuffers(persistentOnly)) {
        yield [prefix === '' ? name : `${prefix}.${name}`, b];
      }
    }
  }

  /** Number of trainable values (elements of every parameter). */
  numParameters(): number {
    let n = 0;
    for (const p of this.parameters()) n += p.numel;
    return n;
  }

  /**
   * Sets requiresGrad on every parameter of the tree (false freezes them:
   * backward gives them no gradient, so optimizers leave them alone; they
   * stay in parameters()). Returns this.
   */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`${this.constructor.name}.requiresGrad_: expected a boolean, got ${typeof requiresGrad}`);
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * A Keras-style table of the tree: each submodule's path and class, its
   * output shape and its parameter count, with the totals (trainable and
   * frozen). Computed by running forward once on zeros of
   * [batchSize, ...inputShape] (batchSize default 1), without gradients and
   * in evaluation mode; lazy layers learn their sizes from it. Give an array
   * of shapes for a module taking several inputs.
   */
  summary(inputShape: readonly number[] | ReadonlyArray<readonly number[]>, options: SummaryOptions = {}): string {
    return summary(this, inputShape, options);
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
    for (const [name, b] of this.buffersOfTree(true)) out[name] = snapshot(b);
    return out;
  }

  /**
   * Copies values into this module's parameters and buffers, in place (an
   * optimizer holding them keeps working). Shapes must match exactly. With
   * strict (the default) the keys must match too; otherwise missing and
   * unexpected keys are returned. Nothing is changed when an error is thrown.
   */
  loadStateDict(dict: Record<string, TensorLike>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const where = `${this.constructor.name}.loadStateDict`;
    rejectUnknownOptions(options, ['strict'], where);
    const strict = options.strict ?? true;
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.buffersOfTree(true)]);
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
