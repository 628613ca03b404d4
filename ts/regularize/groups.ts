/**
 * Parameter groups that regularize weights but not biases, normalisation
 * scales or embeddings — the usual practice, since shrinking a bias or an
 * embedding row does not limit a model's capacity the way shrinking a weight
 * matrix does, and only costs fit.
 *
 *   new dd.optim.SGD(dd.regularize.decayGroups(model, { regularizers: [dd.regularize.l2(1e-4)] }), { lr: 0.1 })
 *   new dd.optim.AdamW(dd.regularize.decayGroups(model, { weightDecay: 0.05 }), { lr: 1e-3 })
 */
import { Module, AnyModule } from '../nn/module';
import { Embedding } from '../nn/layers/embedding';
import type { Tensor } from '../tensor/tensor';
import type { ParamRegularizer } from '../optim/regularizer';
import { rejectUnknownOptions } from '../options';

export interface DecayGroupsOptions {
  /** Decide per parameter instead of the default rule (rank >= 2 and not an Embedding's table). */
  decay?: (name: string, param: Tensor, module: AnyModule) => boolean;
}

/** The two groups: [decayed, not decayed]. */
export type DecayGroups<G> = [G & { params: Tensor[] }, { params: Tensor[]; weightDecay: number; regularizers: ParamRegularizer[] }];

/**
 * Splits a model's parameters into a group that gets `decayed` (its
 * regularizers and hyper-parameters, e.g. `{ regularizers: [l2(1e-4)] }` or
 * `{ weightDecay: 0.05 }`) and one with weightDecay 0 and no regularizers.
 * By default weights of rank >= 2 (Linear, Conv2d) are decayed; biases and
 * other vectors, and Embedding tables, are not. An empty group is left out.
 */
export function decayGroups<G extends object>(model: AnyModule, decayed: G, options: DecayGroupsOptions = {}): Array<DecayGroups<G>[number]> {
  if (!(model instanceof Module)) throw new TypeError('decayGroups: expected a Module');
  // The decayed group's own settings are checked by the optimizer that receives the groups.
  rejectUnknownOptions(options, ['decay'], 'decayGroups');
  if (typeof decayed !== 'object' || decayed === null || 'params' in decayed) {
    throw new TypeError('decayGroups: the second argument holds the decayed group\'s settings (e.g. { weightDecay: 0.05 }), without params');
  }
  const owner = new Map<Tensor, [string, AnyModule]>();
  for (const [prefix, m] of model.namedModules()) {
    for (const [name, p] of m.ownNamedParameters()) if (!owner.has(p)) owner.set(p, [prefix === '' ? name : `${prefix}.${name}`, m]);
  }
  const rule = options.decay ?? ((_name: string, p: Tensor, m: AnyModule) => p.shape.length >= 2 && !(m instanceof Embedding));
  const yes: Tensor[] = [];
  const no: Tensor[] = [];
  for (const p of model.parameters()) {
    const [name, m] = owner.get(p)!;
    (rule(name, p, m) ? yes : no).push(p);
  }
  const groups: Array<DecayGroups<G>[number]> = [];
  if (yes.length > 0) groups.push({ ...decayed, params: yes });
  if (no.length > 0) groups.push({ params: no, weightDecay: 0, regularizers: [] });
  return groups;
}
