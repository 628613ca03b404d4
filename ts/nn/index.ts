/**
 * dd.nn: layers and their functional forms. Each layer family adds an
 * export line here; `functional` holds the stateless forms.
 */
export * as functional from './functional';
export * from './layers';
export * as init from './init';
export { withMode } from './mode';
export { RemovableHandle } from './hooks';
export type { ForwardHook, ForwardPreHook } from './hooks';
export type { SummaryOptions } from './summary';
export { UniformSampler, UnigramSampler, sample } from './sampling';
export type { Sampler } from './sampling';
export { sparseGrad, isSparseGrad, rowGradients, clearRowGradients } from './sparse-grad';
export type { RowGradients } from './sparse-grad';
