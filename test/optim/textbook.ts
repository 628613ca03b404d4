/**
 * The optimizers' update rules written out plainly in double precision, as
 * PyTorch documents them (torch.optim algorithm boxes), to check the fused
 * kernels against.
 */
export interface Hyper {
  lr: number;
  weightDecay?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  betas?: [number, number];
  eps?: number;
  alpha?: number;
  centered?: boolean;
  lrDecay?: number;
  initialAccumulatorValue?: number;
}

export type Kind = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/** One parameter's textbook optimizer: step(grad) updates p in place. */
export class Textbook {
  t = 0;
  private m: number[];
  private v: number[];
  private buf: number[] | null = null;
  private gavg: number[];
  constructor(readonly kind: Kind, readonly h: Hyper, public p: number[]) {
    const n = p.length;
    this.m = new Array(n).fill(0);
    this.v = new Array(n).fill(kind === 'adagrad' ? h.initialAccumulatorValue ?? 0 : 0);
    this.gavg = new Array(n).fill(0);
  }

  step(grad: ArrayLike<number>): void {
    this.t++;
    const h = this.h;
    const wd = h.weightDecay ?? 0;
    const p = this.p;
    const n = p.length;
    const g = Array.from({ length: n }, (_, i) => grad[i] + (this.kind === 'adamw' ? 0 : wd * p[i]));
    switch (this.kind) {
      case 'sgd': {
        const mu = h.momentum ?? 0;
        let d = g;
        if (mu !== 0) {
          if (this.buf === null) this.buf = [...g];
          else this.buf = this.buf.map((b, i) => mu * b + (1 - (h.dampening ?? 0)) * g[i]);
          d = h.nesterov ? g.map((x, i) => x + mu * this.buf![i]) : this.buf;
        }
        for (let i = 0; i < n; i++) p[i] -= h.lr * d[i];
        return;
      }
      case 'adam':
      case 'adamw': {
        const [b1, b2] = h.betas ?? [0.9, 0.999];
        const eps = h.eps ?? 1e-8;
        if (this.kind === 'adamw') for (let i = 0; i < n; i++) p[i] *= 1 - h.lr * wd;
        for (let i = 0; i < n; i++) {
          this.m[i] = b1 * this.m[i] + (1 - b1) * g[i];
          this.v[i] = b2 * this.v[i] + (1 - b2) * g[i] * g[i];
          const mhat = this.m[i] / (1 - b1 ** this.t);
          const vhat = this.v[i] / (1 - b2 ** this.t);
          p[i] -= (h.lr * mhat) / (Math.sqrt(vhat) + eps);
        }
        return;
      }
      case 'rmsprop': {
        const a = h.alpha ?? 0.99;
        const eps = h.eps ?? 1e-8;
        const mu = h.momentum ?? 0;
        if (mu > 0 && this.buf === null) this.buf = new Array(n).fill(0);
        for (let i = 0; i < n; i++) {
          this.v[i] = a * this.v[i] + (1 - a) * g[i] * g[i];
          let avg: number;
          if (h.centered) {
            this.gavg[i] = a * this.gavg[i] + (1 - a) * g[i];
            avg = Math.sqrt(this.v[i] - this.gavg[i] * this.gavg[i]) + eps;
          } else {
            avg = Math.sqrt(this.v[i]) + eps;
          }
          if (mu > 0) {
            this.buf![i] = mu * this.buf![i] + g[i] / avg;
            p[i] -= h.lr * this.buf![i];
          } else {
            p[i] -= (h.lr * g[i]) / avg;
          }
        }
        return;
      }
      case 'adagrad': {
        const eps = h.eps ?? 1e-10;
        const clr = h.lr / (1 + (this.t - 1) * (h.lrDecay ?? 0));
        for (let i = 0; i < n; i++) {
          this.v[i] += g[i] * g[i];
          p[i] -= (clr * g[i]) / (Math.sqrt(this.v[i]) + eps);
        }
        return;
      }
    }
  }
}
