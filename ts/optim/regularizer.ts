/**
 * The hook through which regularization policies (L1, L2, elastic net,
 * max-norm, …) act on a parameter group. A group lists its policies in
 * `regularizers`; on every `step()` the optimizer, for each parameter of the
 * group that has a gradient:
 *   1. copies the gradient to scratch (`.grad` itself is left as backward made it),
 *   2. calls `addGradient(param, grad)` of each policy, in order, on that copy,
 *   3. runs its update with the result,
 *   4. calls `afterUpdate(param)` of each policy that has one (constraints such as max-norm).
 * `optimizer.regularizationPenalty()` sums `penalty(param)` over groups and
 * parameters, for reporting the regularized loss.
 *
 * Decoupled weight decay (AdamW's `weightDecay`) and coupled L2 (`weightDecay`
 * of SGD/Adam/RMSprop/Adagrad) stay hyper-parameters of the optimizers, as in PyTorch.
 */
import type { Tensor } from '../tensor/tensor';

export interface ParamRegularizer {
  /** The term this policy adds to the loss for `param` (a plain number; not part of the autograd graph). */
  penalty(param: Tensor): number;
  /** Adds d penalty / d param to `grad` in place (grad has param's length). */
  addGradient(param: Tensor, grad: Float32Array): void;
  /** Optional constraint applied to the parameter's values after each update. */
  afterUpdate?(param: Tensor): void;
}
