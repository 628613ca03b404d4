/** Stochastic gradient descent with momentum, dampening, Nesterov momentum and (coupled) weight decay, as torch.optim.SGD. */
import { native } from '../native';
import { BaseHyper, Optimizer, OptimizerParams, ParamGroup, ParamState } from './optimizer';

export interface SGDOptions extends BaseHyper {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: OptimizerParams<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false }, options);
  }

  protected override checkHyper(h: SGDOptions, where: string): void {
    super.checkHyper(h, where);
    if (!(h.momentum >= 0)) throw new RangeError(`SGD: ${where}.momentum must be >= 0, got ${h.momentum}`);
    if (!(h.weightDecay >= 0)) throw new RangeError(`SGD: ${where}.weightDecay must be >= 0, got ${h.weightDecay}`);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
      throw new RangeError(`SGD: ${where}: Nesterov momentum needs momentum > 0 and dampening 0`);
    }
  }

  protected initState(): ParamState {
    return { step: 0 };
  }

  protected update(param: Float32Array, grad: Float32Array, group: ParamGroup<SGDOptions>, state: ParamState): void {
    let buf: Float32Array | null = null;
    let first = false;
    if (group.momentum !== 0) {
      if (state.momentumBuffer === undefined) {
        state.momentumBuffer = new Float32Array(param.length);
        first = true;
      }
      buf = state.momentumBuffer as Float32Array;
    }
    native().sgdUpdate(param, grad, buf, group.lr, group.momentum, group.dampening, group.weightDecay, group.nesterov, first);
    state.step = (state.step as number) + 1;
  }
}
