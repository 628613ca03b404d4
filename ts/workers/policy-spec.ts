/**
 * Regularization policies as data, so a worker can rebuild the ones a job's
 * optimizer groups and layers carry: penalties by kind and coefficients,
 * max-norm by its bound and axes.
 */
import { attach, attachedTo } from '../regularize/attach';
import { elasticNet, l1, l2 } from '../regularize/penalties';
import { maxNorm } from '../regularize/max-norm';
import { isConstraint, isPenalty } from '../regularize/policy';
import type { RegularizationPolicy } from '../regularize/policy';
import type { ParamRegularizer } from '../optim/regularizer';
import type { Tensor } from '../tensor/tensor';

export type PolicySpec =
  | { kind: 'l1' | 'l2' | 'elasticNet'; l1: number; l2: number }
  | { kind: 'maxNorm'; maxValue: number; axis?: number[] };

export function describePolicy(p: ParamRegularizer, where: string): PolicySpec {
  if (isPenalty(p)) return { kind: p.kind, l1: p.l1, l2: p.l2 };
  if (isConstraint(p)) {
    const c = p as unknown as { maxValue: number; axes?: number[] };
    return c.axes === undefined ? { kind: 'maxNorm', maxValue: c.maxValue } : { kind: 'maxNorm', maxValue: c.maxValue, axis: [...c.axes] };
  }
  throw new TypeError(`${where}: a custom regularizer cannot be sent to a worker; attach it in the setup module's configure() instead`);
}

export function buildPolicy(s: PolicySpec): RegularizationPolicy {
  switch (s.kind) {
    case 'l1': return l1(s.l1);
    case 'l2': return l2(s.l2);
    case 'elasticNet': return elasticNet({ l1: s.l1, l2: s.l2 });
    case 'maxNorm': return maxNorm(s.maxValue, s.axis === undefined ? {} : { axis: s.axis });
  }
}

/** The policies attached to each parameter (by index), for those that have any. */
export function describeAttached(params: readonly Tensor[], where: string): Array<[number, PolicySpec[]]> {
  const out: Array<[number, PolicySpec[]]> = [];
  params.forEach((p, i) => {
    const { penalties, constraints } = attachedTo(p);
    const all = [...penalties, ...constraints];
    if (all.length > 0) out.push([i, all.map((q) => describePolicy(q, where))]);
  });
  return out;
}

export function attachDescribed(params: readonly Tensor[], specs: Array<[number, PolicySpec[]]>): void {
  for (const [i, list] of specs) attach(params[i], ...list.map(buildPolicy));
}
