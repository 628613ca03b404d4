/**
 * Decoupled weight decay (AdamW, Loshchilov & Hutter 2019) is not an L2
 * penalty under Adam: the penalty's gradient 2c·w goes through Adam's
 * per-coordinate normalisation, the decoupled decay does not.
 */
import * as dd from '../../ts/index';

const { regularize } = dd;

const lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;

/** Textbook Adam in double: grad → param, with an optional L2 gradient and optional decoupled decay. */
function adamReference(w0: number[], grads: number[][], l2Grad: number, decoupled: number): number[] {
  const w = [...w0], m = w.map(() => 0), v = w.map(() => 0);
  grads.forEach((g, t) => {
    for (let i = 0; i < w.length; i++) {
      if (decoupled > 0) w[i] *= 1 - lr * decoupled;
      const gi = g[i] + l2Grad * (decoupled > 0 ? 0 : w[i]);
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      const mh = m[i] / (1 - b1 ** (t + 1)), vh = v[i] / (1 - b2 ** (t + 1));
      w[i] -= (lr * mh) / (Math.sqrt(vh) + eps);
    }
  });
  return w;
}

function run(make: (p: dd.Tensor) => dd.optim.Optimizer, w0: number[], grads: number[][]): number[] {
  const p = dd.tensor(Float32Array.from(w0), [w0.length]).requiresGrad_();
  const opt = make(p);
  for (const g of grads) {
    p.grad = dd.tensor(Float32Array.from(g), [g.length]);
    opt.step();
  }
  return Array.from(p.data);
}

const W0 = [0.01, 1, 100, -3];
const c = 0.05; // l2(c) ⇔ coupled weightDecay 2c

test('with no data gradient: Adam+L2 moves every weight by about lr, AdamW shrinks each by the factor 1 - lr·wd', () => {
  const zero = [[0, 0, 0, 0]];
  const l2 = run((p) => new dd.optim.Adam([{ params: [p], regularizers: [regularize.l2(c)] }], { lr }), W0, zero);
  const adamw = run((p) => new dd.optim.AdamW([p], { lr, weightDecay: 2 * c }), W0, zero);
  W0.forEach((w, i) => {
    expect(w - l2[i]).toBeCloseTo(lr * Math.sign(w), 5); // normalised: the size of w does not matter
    expect(adamw[i]).toBeCloseTo(w * (1 - lr * 2 * c), 5); // proportional to w
  });
  expect(Math.abs(W0[2] - adamw[2])).toBeGreaterThan(5 * Math.abs(W0[2] - l2[2]));
});

test('over many steps each optimizer follows its textbook rule, and the two differ', () => {
  const grads = Array.from({ length: 25 }, (_, t) => [Math.sin(t), 0.01 * Math.cos(t), 5 * Math.sin(2 * t), -0.5]);
  const l2 = run((p) => new dd.optim.Adam([{ params: [p], regularizers: [regularize.l2(c)] }], { lr }), W0, grads);
  const adamw = run((p) => new dd.optim.AdamW([p], { lr, weightDecay: 2 * c }), W0, grads);
  const refL2 = adamReference(W0, grads, 2 * c, 0);
  const refW = adamReference(W0, grads, 0, 2 * c);
  W0.forEach((w, i) => {
    expect(l2[i]).toBeCloseTo(refL2[i], 3);
    expect(adamw[i]).toBeCloseTo(refW[i], 3);
  });
  expect(Math.max(...l2.map((v, i) => Math.abs(v - adamw[i])))).toBeGreaterThan(0.1);
});

test("Adam's coupled weightDecay is the L2 penalty l2(wd/2): same trajectory", () => {
  const grads = Array.from({ length: 10 }, (_, t) => [Math.cos(t), -1, 0.3, t % 2 ? 1 : -1]);
  const viaPolicy = run((p) => new dd.optim.Adam([{ params: [p], regularizers: [regularize.l2(c)] }], { lr }), W0, grads);
  const viaOption = run((p) => new dd.optim.Adam([p], { lr, weightDecay: 2 * c }), W0, grads);
  viaPolicy.forEach((v, i) => expect(v).toBeCloseTo(viaOption[i], 5));
  // For plain SGD, coupled and decoupled decay coincide; the group policy matches SGD's weightDecay.
  const sgdPolicy = run((p) => new dd.optim.SGD([{ params: [p], regularizers: [regularize.l2(c)] }], { lr }), W0, grads);
  const sgdOption = run((p) => new dd.optim.SGD([p], { lr, weightDecay: 2 * c }), W0, grads);
  sgdPolicy.forEach((v, i) => expect(v).toBeCloseTo(sgdOption[i], 5));
});
