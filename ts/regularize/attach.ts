/**
 * Policies attached to individual parameter tensors. Layers attach what their
 * `kernelRegularizer` / `biasRegularizer` / `kernelConstraint` / … options
 * name; users can attach to any tensor. The registry is a WeakMap keyed by
 * the tensor, so it never keeps a parameter alive and needs no field on
 * Tensor or Module. A model's attached policies then act through
 * `penaltyLoss(model)` (added to the loss, so they are in the gradient) and
 * `applyConstraints(model)` (after each step); `fit` calls both.
 */
import { Tensor } from '../tensor/tensor';
import { Constraint, Penalty, RegularizationPolicy, describe, isConstraint, isPenalty } from './policy';

interface Attached {
  penalties: Penalty[];
  constraints: Constraint[];
}

const registry = new WeakMap<Tensor, Attached>();

/** Attaches penalties and/or constraints to a parameter (in addition to any it has). Returns the tensor. */
export function attach(param: Tensor, ...policies: RegularizationPolicy[]): Tensor {
  if (!(param instanceof Tensor)) throw new TypeError('regularize.attach: the first argument must be a parameter Tensor');
  if (param.dtype !== 'float32') throw new TypeError(`regularize.attach: parameters are float32, got ${param.dtype}`);
  let entry = registry.get(param);
  if (entry === undefined) {
    entry = { penalties: [], constraints: [] };
    registry.set(param, entry);
  }
  for (const p of policies) {
    if (isPenalty(p)) entry.penalties.push(p);
    else if (isConstraint(p)) entry.constraints.push(p);
    else throw new TypeError(`regularize.attach: expected a policy such as dd.regularize.l2(1e-4) or maxNorm(3), got ${describe(p)}`);
  }
  return param;
}

/** Removes every policy attached to the parameter. */
export function detach(param: Tensor): void {
  registry.delete(param);
}

/** The policies attached to a parameter (copies of the lists). */
export function attachedTo(param: Tensor): { penalties: Penalty[]; constraints: Constraint[] } {
  const e = registry.get(param);
  return { penalties: e ? [...e.penalties] : [], constraints: e ? [...e.constraints] : [] };
}

/** The layer options through which layers take policies (Keras's names). */
export interface LayerRegularization {
  /** Penalty on the weight (kernel): l1, l2 or elasticNet. */
  kernelRegularizer?: Penalty;
  /** Penalty on the bias. */
  biasRegularizer?: Penalty;
  /** Constraint on the weight after each update, e.g. maxNorm(3). */
  kernelConstraint?: Constraint;
  /** Constraint on the bias after each update. */
  biasConstraint?: Constraint;
}

function checkOption(layer: string, name: string, v: unknown, want: 'penalty' | 'constraint'): void {
  if (v === undefined) return;
  if (want === 'penalty' ? isPenalty(v) : isConstraint(v)) return;
  const hint = want === 'penalty' && isConstraint(v)
    ? ` (${name.replace('Regularizer', 'Constraint')} takes constraints such as maxNorm)`
    : want === 'constraint' && isPenalty(v) ? ` (${name.replace('Constraint', 'Regularizer')} takes penalties such as l2)` : '';
  const what = want === 'penalty' ? 'a penalty (dd.regularize.l1, l2, elasticNet)' : 'a constraint (dd.regularize.maxNorm)';
  throw new TypeError(`${layer}: ${name} must be ${what}, got ${describe(v)}${hint}`);
}

/**
 * Attaches a layer's `<weightName>Regularizer`, `<weightName>Constraint`,
 * `biasRegularizer` and `biasConstraint` options (weightName is 'kernel' for
 * Linear and Conv2d, 'embeddings' for Embedding, as in Keras).
 */
export function attachLayerPolicies(
  layer: string, weight: Tensor, bias: Tensor | null, options: object, weightName: 'kernel' | 'embeddings' = 'kernel',
): void {
  const o = options as Record<string, unknown>;
  const names = {
    weightPenalty: `${weightName}Regularizer`, weightConstraint: `${weightName}Constraint`,
    biasPenalty: 'biasRegularizer', biasConstraint: 'biasConstraint',
  };
  checkOption(layer, names.weightPenalty, o[names.weightPenalty], 'penalty');
  checkOption(layer, names.weightConstraint, o[names.weightConstraint], 'constraint');
  const w = [o[names.weightPenalty], o[names.weightConstraint]].filter((p) => p !== undefined) as RegularizationPolicy[];
  if (w.length > 0) attach(weight, ...w);
  if (weightName === 'embeddings') return;
  checkOption(layer, names.biasPenalty, o[names.biasPenalty], 'penalty');
  checkOption(layer, names.biasConstraint, o[names.biasConstraint], 'constraint');
  const b = [o[names.biasPenalty], o[names.biasConstraint]].filter((p) => p !== undefined) as RegularizationPolicy[];
  if (b.length === 0) return;
  if (bias === null) throw new RangeError(`${layer}: biasRegularizer/biasConstraint given for a layer without a bias`);
  attach(bias, ...b);
}
