/**
 * What a regularization policy is. Two kinds, as Keras separates them:
 *   - a Penalty (l1, l2, elastic net) adds a term to the loss, and so its
 *     derivative to the gradient;
 *   - a Constraint (max-norm) projects the parameter back into an allowed set
 *     after every optimizer step, and adds nothing to the loss.
 * Both are plain objects that do not know which parameter they act on, so
 * one policy can serve many parameters. Both implement the optimizer's
 * ParamRegularizer hook, so either can go into a parameter group's
 * `regularizers` list as well as onto a layer (`kernelRegularizer`,
 * `kernelConstraint`, …) or a single tensor (`attach`).
 */
import type { Tensor } from '../tensor/tensor';
import type { ParamRegularizer } from '../optim/regularizer';

/** A term added to the loss: l1·Σ|w| + l2·Σw². */
export interface Penalty extends ParamRegularizer {
  readonly kind: 'l1' | 'l2' | 'elasticNet';
  /** Coefficient of Σ|w|. */
  readonly l1: number;
  /** Coefficient of Σw² (not ½Σw²: l2(c) adds 2c·w to the gradient). */
  readonly l2: number;
  /** The term for `param` (a number, outside the autograd graph). */
  penalty(param: Tensor): number;
  /** Adds l1·sign(w) + 2·l2·w to `grad` (param's length) in place. */
  addGradient(param: Tensor, grad: Float32Array): void;
}

/** A projection applied to a parameter's values after each update. */
export interface Constraint extends ParamRegularizer {
  readonly kind: 'maxNorm';
  /** Projects `param`'s values in place. */
  apply(param: Tensor): void;
  afterUpdate(param: Tensor): void;
}

export type RegularizationPolicy = Penalty | Constraint;

export function isPenalty(p: unknown): p is Penalty {
  return typeof p === 'object' && p !== null && ['l1', 'l2', 'elasticNet'].includes((p as Penalty).kind) &&
    typeof (p as Penalty).addGradient === 'function';
}

export function isConstraint(p: unknown): p is Constraint {
  return typeof p === 'object' && p !== null && (p as Constraint).kind === 'maxNorm' && typeof (p as Constraint).apply === 'function';
}

/** A short description of something that is not a policy, for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as { kind?: unknown }).kind !== undefined ? `a '${String((v as { kind: unknown }).kind)}' object` : 'an object';
  return typeof v === 'number' ? `the number ${v}` : typeof v;
}
