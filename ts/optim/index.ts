/** Optimizers and learning-rate schedules (dd.optim). */
export { Optimizer } from './optimizer';
export type { BaseHyper, ParamGroup, ParamGroupSpec, ParamState, OptimizerState, OptimizerParams } from './optimizer';
export type { ParamRegularizer } from './regularizer';
export { SGD } from './sgd';
export type { SGDOptions } from './sgd';
export { Adam, AdamW } from './adam';
export type { AdamOptions } from './adam';
export { RMSprop } from './rmsprop';
export type { RMSpropOptions } from './rmsprop';
export { Adagrad } from './adagrad';
export type { AdagradOptions } from './adagrad';
export {
  LRScheduler, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, LinearLR, LinearWarmup, SequentialLR,
  ReduceLROnPlateau,
} from './lr_scheduler';
export type { ScheduledOptimizer, SchedulerState, ReduceLROnPlateauOptions, PlateauState } from './lr_scheduler';
export { SparseSGD, SparseAdam } from './sparse';
