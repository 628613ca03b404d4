/** Adam and AdamW (decoupled weight decay), bias-corrected, as torch.optim.Adam / AdamW. */
import { native } from '../native';
import { BaseHyper, Optimizer, OptimizerParams, ParamGroup, ParamState } from './optimizer';

export interface AdamOptions extends BaseHyper {
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

function checkAdam(name: string, h: AdamOptions, where: string): void {
  const [b1, b2] = h.betas;
  if (!(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1)) throw new RangeError(`${name}: ${where}.betas must be in [0, 1), got [${b1}, ${b2}]`);
  if (!(h.eps >= 0)) throw new RangeError(`${name}: ${where}.eps must be >= 0, got ${h.eps}`);
  if (!(h.weightDecay >= 0)) throw new RangeError(`${name}: ${where}.weightDecay must be >= 0, got ${h.weightDecay}`);
}

export class Adam extends Optimizer<AdamOptions> {
  /** AdamW applies weight decay to the parameter directly instead of adding it to the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: OptimizerParams<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }, options);
  }

  protected override checkHyper(h: AdamOptions, where: string): void {
    super.checkHyper(h, where);
    checkAdam(this.constructor.name, h, where);
  }

  protected initState(param: Float32Array): ParamState {
    return { step: 0, expAvg: new Float32Array(param.length), expAvgSq: new Float32Array(param.length) };
  }

  protected update(param: Float32Array, grad: Float32Array, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const step = (state.step as number) + 1;
    state.step = step;
    native().adamUpdate(
      param, grad, state.expAvg as Float32Array, state.expAvgSq as Float32Array,
      group.lr, group.betas[0], group.betas[1], group.eps, group.weightDecay, this.decoupled, step,
    );
  }
}

export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: OptimizerParams<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options });
  }
}
