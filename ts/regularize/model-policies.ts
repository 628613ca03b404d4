/**
 * The policies attached to a model's parameters, gathered once so a training
 * loop does not walk the module tree every batch:
 *
 *   const reg = dd.regularize.collect(model);
 *   const loss = reg.addPenalty(dd.nn.functional.crossEntropy(model.call(x), y));
 *   loss.backward(); optimizer.step(); reg.applyConstraints();
 *
 * `penaltyLoss(model)` and `applyConstraints(model)` do the same in one call.
 */
import { AnyModule, Module } from '../nn/module';
import { zeros } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { add } from '../ops';
import { attachedTo } from './attach';
import type { Constraint } from './policy';
import { penaltyOf } from './penalty-op';

export type ParameterSource = AnyModule | Iterable<Tensor>;

function parametersOf(source: ParameterSource, where: string): Tensor[] {
  if (source instanceof Module) return source.parameters();
  if (source instanceof Tensor) return [source];
  if (source && typeof (source as Iterable<Tensor>)[Symbol.iterator] === 'function') {
    const list = [...source];
    for (const t of list) if (!(t instanceof Tensor)) throw new TypeError(`${where}: expected a Module or an iterable of Tensors`);
    return list;
  }
  throw new TypeError(`${where}: expected a Module or an iterable of Tensors`);
}

export class ModelPolicies {
  private readonly penalized: Tensor[] = [];
  private readonly coefficients: Array<[number, number]> = [];
  private readonly constrained: Array<[Tensor, Constraint[]]> = [];

  constructor(params: readonly Tensor[]) {
    for (const p of params) {
      const { penalties, constraints } = attachedTo(p);
      if (penalties.length > 0) {
        this.penalized.push(p);
        this.coefficients.push([penalties.reduce((s, q) => s + q.l1, 0), penalties.reduce((s, q) => s + q.l2, 0)]);
      }
      if (constraints.length > 0) this.constrained.push([p, constraints]);
    }
  }

  get hasPenalties(): boolean {
    return this.penalized.length > 0;
  }

  get hasConstraints(): boolean {
    return this.constrained.length > 0;
  }

  /** The summed penalties as a scalar tensor in the autograd graph (a constant 0 when there are none). */
  penaltyLoss(): Tensor {
    return this.hasPenalties ? penaltyOf(this.penalized, this.coefficients) : zeros([]);
  }

  /** loss + penaltyLoss(), or loss itself when nothing is penalized. */
  addPenalty(loss: Tensor): Tensor {
    return this.hasPenalties ? add(loss, this.penaltyLoss()) : loss;
  }

  /** Projects every constrained parameter (call after each optimizer step). */
  applyConstraints(): void {
    for (const [p, constraints] of this.constrained) for (const c of constraints) c.apply(p);
  }
}

/** Gathers the policies attached to the parameters of a model (or a list of tensors). */
export function collect(source: ParameterSource): ModelPolicies {
  return new ModelPolicies(parametersOf(source, 'regularize.collect'));
}

/** The attached penalties of a model's parameters as a scalar tensor to add to the loss (0 when there are none). */
export function penaltyLoss(source: ParameterSource): Tensor {
  return new ModelPolicies(parametersOf(source, 'regularize.penaltyLoss')).penaltyLoss();
}

/** Applies the attached constraints (max-norm) of a model's parameters; call after each optimizer step. */
export function applyConstraints(source: ParameterSource): void {
  new ModelPolicies(parametersOf(source, 'regularize.applyConstraints')).applyConstraints();
}
