/**
 * dd.autograd: the graph machinery as PyTorch's torch.autograd offers it —
 * backward and grad, grad modes, custom differentiable functions and the
 * gradient check. (backward, noGrad and friends are also top-level exports.)
 */
export { backward } from './engine';
export type { BackwardOptions } from './engine';
export { grad } from './grad';
export type { GradOptions } from './grad';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './grad-mode';
export { AutogradFunction as Function, defineFunction, FunctionContext } from './function';
export type { FunctionSpec, DefinedFunction } from './function';
export { gradcheck } from './gradcheck';
export type { GradcheckOptions, GradcheckReport, GradcheckInputReport } from './gradcheck';
export type { GradNode } from './node';
