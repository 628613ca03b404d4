/**
 * dd.regularize: regularization as policies, not hard-coded terms.
 * Penalties (l1, l2, elasticNet) and constraints (maxNorm) attach to a layer
 * (`new nn.Linear(784, 512, { kernelRegularizer: l2(1e-4), kernelConstraint: maxNorm(3) })`),
 * to any parameter (`attach`), or to an optimizer's parameter group
 * (`{ params, regularizers: [l2(1e-4)] }`); gradient clipping by norm or value.
 */
export { l1, l2, elasticNet } from './penalties';
export { maxNorm } from './max-norm';
export type { MaxNormOptions } from './max-norm';
export type { Penalty, Constraint, RegularizationPolicy } from './policy';
export { attach, detach, attachedTo } from './attach';
export type { LayerRegularization } from './attach';
export { collect, penaltyLoss, applyConstraints, ModelPolicies } from './model-policies';
export type { ParameterSource } from './model-policies';
export { clipGradNorm, clipGradValue } from './clip';
export type { ClipGradNormOptions } from './clip';
export { decayGroups } from './groups';
export type { DecayGroupsOptions, DecayGroups } from './groups';
