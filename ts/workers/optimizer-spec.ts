/**
 * An optimizer as data: its class, which of the model's parameters each
 * group holds, the groups' regularization policies and its whole state
 * (hyper-parameters and moment buffers), so a worker rebuilds the same
 * optimizer on its copy of the model and carries on exactly where it was.
 * A plain `{ type: 'Adam', lr: 1e-3 }` describes a new one.
 */
import { types } from 'util';
import { Optimizer, OptimizerState } from '../optim/optimizer';
import { SGD } from '../optim/sgd';
import { Adam, AdamW } from '../optim/adam';
import { RMSprop } from '../optim/rmsprop';
import { Adagrad } from '../optim/adagrad';
import type { Tensor } from '../tensor/tensor';
import { buildPolicy, describePolicy, PolicySpec } from './policy-spec';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const CLASSES: Record<string, new (params: any, options?: any) => Optimizer> = { SGD, Adam, AdamW, RMSprop, Adagrad };

/** A new optimizer by name and hyper-parameters, e.g. { type: 'Adam', lr: 1e-3 }. */
export interface OptimizerConfig {
  type: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  [hyper: string]: unknown;
}

export type OptimizerSpec =
  | { kind: 'config'; type: string; hyper: Record<string, unknown> }
  | { kind: 'state'; type: string; groups: number[][]; regularizers: PolicySpec[][]; state: OptimizerState };

function classOf(type: unknown, where: string): new (params: unknown, options?: unknown) => Optimizer {
  const Ctor = typeof type === 'string' ? CLASSES[type] : undefined;
  if (Ctor === undefined) throw new TypeError(`${where}: optimizer type must be one of ${Object.keys(CLASSES).join(', ')}, got ${JSON.stringify(type)}`);
  return Ctor;
}

export function describeOptimizer(optimizer: Optimizer | OptimizerConfig, params: readonly Tensor[], where: string): OptimizerSpec {
  if (!(optimizer instanceof Optimizer)) {
    if (optimizer === null || typeof optimizer !== 'object') throw new TypeError(`${where}: optimizer must be an Optimizer or { type: 'Adam', lr, … }`);
    const { type, ...hyper } = optimizer;
    // Built once here too, so a misspelt setting is refused by the caller's call, not later by the worker.
    new (classOf(type, where))(params, hyper);
    return { kind: 'config', type: type as string, hyper };
  }
  const type = optimizer.constructor.name;
  if (CLASSES[type] !== optimizer.constructor) throw new TypeError(`${where}: a ${type} optimizer cannot be rebuilt in a worker (only ${Object.keys(CLASSES).join(', ')})`);
  const index = new Map(params.map((p, i) => [p, i]));
  const groups = optimizer.paramGroups.map((g, gi) =>
    g.params.map((p) => {
      const i = index.get(p);
      if (i === undefined) throw new RangeError(`${where}: the optimizer's group ${gi} holds a tensor that is not a parameter of the model`);
      return i;
    }),
  );
  const regularizers = optimizer.paramGroups.map((g) => g.regularizers.map((r) => describePolicy(r, where)));
  return { kind: 'state', type, groups, regularizers, state: optimizer.stateDict() };
}

export function buildOptimizer(spec: OptimizerSpec, params: readonly Tensor[]): Optimizer {
  const Ctor = classOf(spec.type, 'optimizer');
  if (spec.kind === 'config') return new Ctor(params, spec.hyper);
  const groups = spec.groups.map((indices, g) => ({
    params: indices.map((i) => params[i]),
    regularizers: spec.regularizers[g].map(buildPolicy),
  }));
  // initialLr (a scheduler's) is state, restored by loadStateDict below, not a constructor option.
  const { params: _indices, initialLr: _initial, ...defaults } = spec.state.paramGroups[0] as typeof spec.state.paramGroups[0] & { initialLr?: number };
  const optimizer = new Ctor(groups, defaults);
  optimizer._adoptStateDict(spec.state);
  return optimizer;
}

/** Float32Arrays in an optimizer state, for a transfer list. */
export function optimizerStateBuffers(state: OptimizerState): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const st of Object.values(state.state)) {
    for (const v of Object.values(st)) if (typeof v !== 'number' && types.isArrayBuffer(v.buffer)) out.push(v.buffer as ArrayBuffer);
  }
  return out;
}
