/** RMSprop with optional momentum and centering, as torch.optim.RMSprop. */
import { native } from '../native';
import { BaseHyper, Optimizer, OptimizerParams, ParamGroup, ParamState } from './optimizer';

export interface RMSpropOptions extends BaseHyper {
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
}

export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: OptimizerParams<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false }, options);
  }

  protected override checkHyper(h: RMSpropOptions, where: string): void {
    super.checkHyper(h, where);
    if (!(h.alpha >= 0)) throw new RangeError(`RMSprop: ${where}.alpha must be >= 0, got ${h.alpha}`);
    if (!(h.eps >= 0)) throw new RangeError(`RMSprop: ${where}.eps must be >= 0, got ${h.eps}`);
    if (!(h.momentum >= 0)) throw new RangeError(`RMSprop: ${where}.momentum must be >= 0, got ${h.momentum}`);
    if (!(h.weightDecay >= 0)) throw new RangeError(`RMSprop: ${where}.weightDecay must be >= 0, got ${h.weightDecay}`);
  }

  protected initState(param: Float32Array): ParamState {
    return { step: 0, squareAvg: new Float32Array(param.length) };
  }

  protected update(param: Float32Array, grad: Float32Array, group: ParamGroup<RMSpropOptions>, state: ParamState): void {
    if (group.momentum > 0 && state.momentumBuffer === undefined) state.momentumBuffer = new Float32Array(param.length);
    if (group.centered && state.gradAvg === undefined) state.gradAvg = new Float32Array(param.length);
    native().rmspropUpdate(
      param, grad, state.squareAvg as Float32Array,
      group.momentum > 0 ? (state.momentumBuffer as Float32Array) : null,
      group.centered ? (state.gradAvg as Float32Array) : null,
      group.lr, group.alpha, group.eps, group.weightDecay, group.momentum, group.centered,
    );
    state.step = (state.step as number) + 1;
  }
}
