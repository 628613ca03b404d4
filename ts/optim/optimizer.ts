/**
 * The optimizer base: parameter groups with their own hyper-parameters,
 * per-parameter state, zeroGrad/step, and a state dict that resumes training
 * exactly. Subclasses supply one `update` per parameter, which calls one fused
 * native kernel (ts/bindings/optim.ts), so a step costs one pass over each
 * parameter and its state.
 */
import type { Tensor } from '../tensor/tensor';
import { recycleGradient } from './recycle';
import { rejectUnknownOptions } from '../options';
import type { ParamRegularizer } from './regularizer';

/** Hyper-parameters every optimizer has. */
export interface BaseHyper {
  lr: number;
}

/** A parameter group as given by the user: its tensors and any hyper-parameters that differ from the defaults. */
export type ParamGroupSpec<H extends BaseHyper> = Partial<H> & {
  params: Iterable<Tensor>;
  /** Regularization policies applied to this group's gradients before each update (see ParamRegularizer). */
  regularizers?: ParamRegularizer[];
};

/** A parameter group as the optimizer holds it: every hyper-parameter filled in. */
export type ParamGroup<H extends BaseHyper> = H & {
  params: Tensor[];
  regularizers: ParamRegularizer[];
  /** The rate a scheduler started from (set by the first scheduler attached). */
  initialLr?: number;
};

/** Per-parameter state: moment buffers (Float32Array) and counters (number). */
export type ParamState = Record<string, Float32Array | number>;

/** Serializable optimizer state; parameters are referred to by their index across all groups, in order. */
export interface OptimizerState {
  state: Record<number, ParamState>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

export type OptimizerParams<H extends BaseHyper> = Iterable<Tensor> | Array<ParamGroupSpec<H>>;

function isGroupSpecList<H extends BaseHyper>(params: OptimizerParams<H>): params is Array<ParamGroupSpec<H>> {
  return Array.isArray(params) && params.length > 0 && typeof params[0] === 'object' && params[0] !== null && 'params' in params[0];
}

export abstract class Optimizer<H extends BaseHyper = BaseHyper> {
  readonly defaults: H;
  readonly paramGroups: Array<ParamGroup<H>> = [];
  protected readonly state = new Map<Tensor, ParamState>();
  /** Scratch for the gradient plus regularization terms, so `.grad` stays what backward computed. */
  private readonly regularizedGrad = new Map<Tensor, Float32Array>();

  /**
   * `builtin` holds the class's own defaults; `options` the caller's, which may
   * name only those hyper-parameters (and lr): a misspelt one is an error,
   * never silently ignored.
   */
  constructor(params: OptimizerParams<H>, builtin: Omit<H, 'lr'> & Partial<BaseHyper>, options: Partial<H> = {}) {
    const name = new.target.name;
    if (options === null || typeof options !== 'object') throw new TypeError(`${name}: options must be an object of hyper-parameters`);
    this.hyperNames = new Set(['lr', ...Object.keys(builtin)]);
    this.checkNames(options, name);
    const defaults = { ...builtin, ...options } as H;
    if (typeof defaults.lr !== 'number') throw new TypeError(`${name}: options.lr (the learning rate) is required`);
    this.defaults = defaults;
    this.checkHyper(defaults, 'defaults');
    const specs: Array<ParamGroupSpec<H>> = isGroupSpecList(params) ? params : [{ params } as ParamGroupSpec<H>];
    if (specs.length === 0) throw new RangeError(`${this.constructor.name}: got an empty parameter list`);
    for (const spec of specs) this.addParamGroup(spec);
  }

  /** The hyper-parameters this class has (what options and parameter groups may set). */
  private readonly hyperNames: Set<string>;

  /** Refuses a name that is none of this class's hyper-parameters (nor `extra`), suggesting the closest. */
  private checkNames(given: object, where: string, extra: readonly string[] = []): void {
    rejectUnknownOptions(given, [...this.hyperNames, ...extra], where);
  }

  /** Validates hyper-parameters (subclasses add their own checks). */
  protected checkHyper(h: H, where: string): void {
    if (!(h.lr >= 0)) throw new RangeError(`${this.constructor.name}: ${where}.lr must be >= 0, got ${h.lr}`);
  }

  /** Adds a group; its unspecified hyper-parameters come from the defaults. */
  addParamGroup(spec: ParamGroupSpec<H>): void {
    this.checkNames(spec, `${this.constructor.name}: parameter group ${this.paramGroups.length}`, ['params', 'regularizers', 'initialLr']);
    const params = [...spec.params];
    if (params.length === 0) throw new RangeError(`${this.constructor.name}: parameter group ${this.paramGroups.length} is empty`);
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    for (const p of params) {
      if (p.dtype !== 'float32') throw new TypeError(`${this.constructor.name}: parameters must be float32 tensors, got ${p.dtype}`);
      if (seen.has(p)) throw new RangeError(`${this.constructor.name}: a parameter appears in more than one group (or twice in one)`);
      seen.add(p);
    }
    const group = { ...this.defaults } as ParamGroup<H>;
    for (const [k, v] of Object.entries(spec)) {
      if (k !== 'params' && k !== 'regularizers' && v !== undefined) (group as unknown as Record<string, unknown>)[k] = v;
    }
    group.params = params;
    group.regularizers = spec.regularizers ? [...spec.regularizers] : [];
    this.checkHyper(group, `paramGroups[${this.paramGroups.length}]`);
    this.paramGroups.push(group);
  }

  /**
   * Clears the gradients of every parameter (to null, so backward writes
   * fresh ones instead of adding). With `recycle`, the old gradients' memory
   * goes back to the buffer pool for the next backward to reuse (fresh pages
   * cost more than the arithmetic of a small model's step); a gradient tensor
   * kept from before then throws when read, instead of showing stale values.
   */
  zeroGrad(options: { recycle?: boolean } = {}): void {
    rejectUnknownOptions(options, ['recycle'], `${this.constructor.name}.zeroGrad`);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (options.recycle && p.grad !== null) recycleGradient(p.grad);
        p.grad = null;
      }
    }
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null || p.grad === undefined) continue;
        // _f32, not .data: reading a gradient for the update does not hand its memory to user code, so it can still be recycled.
        let grad = p.grad._f32(`${this.constructor.name}.step`);
        if (grad.length !== p.data.length) {
          throw new RangeError(`${this.constructor.name}.step: a gradient has ${grad.length} elements for a parameter of ${p.data.length}`);
        }
        if (group.regularizers.length > 0) grad = this.withRegularization(p, grad, group.regularizers);
        let st = this.state.get(p);
        if (st === undefined) {
          st = this.initState(p.data as Float32Array, group);
          this.state.set(p, st);
        }
        this.update(p.data as Float32Array, grad, group, st);
        for (const r of group.regularizers) r.afterUpdate?.(p);
      }
    }
  }

  /** Sum of the regularization penalties of every group (what the regularizers add to the loss). */
  regularizationPenalty(): number {
    let total = 0;
    for (const group of this.paramGroups) for (const r of group.regularizers) for (const p of group.params) total += r.penalty(p);
    return total;
  }

  private withRegularization(p: Tensor, grad: Float32Array, regs: ParamRegularizer[]): Float32Array {
    let buf = this.regularizedGrad.get(p);
    if (buf === undefined || buf.length !== grad.length) {
      buf = new Float32Array(grad.length);
      this.regularizedGrad.set(p, buf);
    }
    buf.set(grad);
    for (const r of regs) r.addGradient(p, buf);
    return buf;
  }

  /** Fresh state for a parameter on its first update. */
  protected abstract initState(param: Float32Array, group: ParamGroup<H>): ParamState;

  /** Updates one parameter in place from its gradient (one fused kernel call). */
  protected abstract update(param: Float32Array, grad: Float32Array, group: ParamGroup<H>, state: ParamState): void;

  /** A copy of the optimizer's state and hyper-parameters, by parameter index. */
  stateDict(): OptimizerState {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerState['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const indices: number[] = [];
      for (const p of group.params) {
        const st = this.state.get(p);
        if (st !== undefined) {
          const copy: ParamState = {};
          for (const [k, v] of Object.entries(st)) copy[k] = typeof v === 'number' ? v : v.slice();
          state[index] = copy;
        }
        indices.push(index++);
      }
      const hyper: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(group)) {
        if (k === 'params' || k === 'regularizers') continue;
        hyper[k] = Array.isArray(v) ? [...v] : v;
      }
      paramGroups.push({ ...hyper, params: indices });
    }
    return { state, paramGroups };
  }

  /** Restores what stateDict() returned; the groups must hold the same number of parameters of the same sizes. */
  loadStateDict(dict: OptimizerState): void {
    this.restoreState(dict, true);
  }

  /**
   * @internal As loadStateDict, but the state's arrays become the optimizer's
   * own instead of being copied: for state this thread was handed (moved from
   * a worker), whose memory nobody else holds. Copying it would touch fresh pages.
   */
  _adoptStateDict(dict: OptimizerState): void {
    this.restoreState(dict, false);
  }

  private restoreState(dict: OptimizerState, copy: boolean): void {
    const name = `${this.constructor.name}.loadStateDict`;
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(`${name}: the state has ${dict.paramGroups.length} parameter groups, the optimizer ${this.paramGroups.length}`);
    }
    const byIndex: Tensor[] = [];
    dict.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi];
      if (saved.params.length !== group.params.length) {
        throw new RangeError(`${name}: group ${gi} has ${saved.params.length} parameters in the state, ${group.params.length} in the optimizer`);
      }
      saved.params.forEach((idx, j) => (byIndex[idx] = group.params[j]));
    });
    // Check everything before changing anything.
    for (const [key, st] of Object.entries(dict.state)) {
      const p = byIndex[Number(key)];
      if (p === undefined) throw new RangeError(`${name}: state for parameter ${key}, which no group holds`);
      for (const [k, v] of Object.entries(st)) {
        if (typeof v !== 'number' && v.length !== p.data.length) {
          throw new RangeError(`${name}: state '${k}' of parameter ${key} has ${v.length} elements, the parameter ${p.data.length}`);
        }
      }
    }
    dict.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi] as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(saved)) if (k !== 'params') group[k] = Array.isArray(v) ? [...v] : v;
    });
    this.state.clear();
    for (const [key, st] of Object.entries(dict.state)) {
      const restored: ParamState = {};
      for (const [k, v] of Object.entries(st)) {
        // An adopted array is viewed from this realm (a message may come from another context), not copied.
        restored[k] = typeof v === 'number' ? v : copy ? Float32Array.from(v) : new Float32Array(v.buffer, v.byteOffset, v.length);
      }
      this.state.set(byIndex[Number(key)], restored);
    }
  }
}
