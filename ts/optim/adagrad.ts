/** Adagrad with learning-rate decay, as torch.optim.Adagrad. */
import { native } from '../native';
import { BaseHyper, Optimizer, OptimizerParams, ParamGroup, ParamState } from './optimizer';

export interface AdagradOptions extends BaseHyper {
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
}

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: OptimizerParams<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 }, options);
  }

  protected override checkHyper(h: AdagradOptions, where: string): void {
    super.checkHyper(h, where);
    if (!(h.lrDecay >= 0)) throw new RangeError(`Adagrad: ${where}.lrDecay must be >= 0, got ${h.lrDecay}`);
    if (!(h.weightDecay >= 0)) throw new RangeError(`Adagrad: ${where}.weightDecay must be >= 0, got ${h.weightDecay}`);
    if (!(h.initialAccumulatorValue >= 0)) throw new RangeError(`Adagrad: ${where}.initialAccumulatorValue must be >= 0`);
    if (!(h.eps >= 0)) throw new RangeError(`Adagrad: ${where}.eps must be >= 0, got ${h.eps}`);
  }

  protected initState(param: Float32Array, group: ParamGroup<AdagradOptions>): ParamState {
    return { step: 0, sum: new Float32Array(param.length).fill(group.initialAccumulatorValue) };
  }

  protected update(param: Float32Array, grad: Float32Array, group: ParamGroup<AdagradOptions>, state: ParamState): void {
    const step = (state.step as number) + 1;
    state.step = step;
    native().adagradUpdate(param, grad, state.sum as Float32Array, group.lr, group.eps, group.weightDecay, group.lrDecay, step);
  }
}
