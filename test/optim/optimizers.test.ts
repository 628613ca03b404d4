import * as dd from '../../ts/index';
import type { Optimizer } from '../../ts/optim/optimizer';
import { TestRandom } from '../support/random';
import { Hyper, Kind, Textbook } from './textbook';

type Make = (groups: Array<{ params: dd.Tensor[] } & Partial<Hyper>>, defaults: Hyper) => Optimizer;

const makers: Record<Kind, Make> = {
  sgd: (g, d) => new dd.optim.SGD(g, d),
  adam: (g, d) => new dd.optim.Adam(g, d),
  adamw: (g, d) => new dd.optim.AdamW(g, d),
  rmsprop: (g, d) => new dd.optim.RMSprop(g, d),
  adagrad: (g, d) => new dd.optim.Adagrad(g, d),
};

/** Hyper-parameters of two groups per optimizer: the second group differs in several of them. */
const cases: Array<{ kind: Kind; defaults: Hyper; second: Hyper }> = [
  { kind: 'sgd', defaults: { lr: 0.1 }, second: { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 } },
  { kind: 'sgd', defaults: { lr: 0.1, momentum: 0.8, nesterov: true }, second: { lr: 0.02, momentum: 0.5, nesterov: true, weightDecay: 0.1 } },
  { kind: 'adam', defaults: { lr: 1e-2 }, second: { lr: 3e-2, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.05 } },
  { kind: 'adamw', defaults: { lr: 1e-2, weightDecay: 0.1 }, second: { lr: 2e-2, weightDecay: 0, betas: [0.5, 0.9] } },
  { kind: 'rmsprop', defaults: { lr: 1e-2 }, second: { lr: 5e-3, alpha: 0.9, momentum: 0.9, centered: true, weightDecay: 0.01 } },
  { kind: 'rmsprop', defaults: { lr: 1e-2, centered: true }, second: { lr: 1e-2, momentum: 0.5 } },
  { kind: 'adagrad', defaults: { lr: 0.1 }, second: { lr: 0.2, lrDecay: 0.1, weightDecay: 0.1, initialAccumulatorValue: 0.5 } },
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 2e-6) {
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
  }
}

describe.each(cases)('$kind %#', ({ kind, defaults, second }) => {
  test('several steps of two parameter groups equal the textbook rule', () => {
    const rng = new TestRandom(7);
    const sizes = [5, 33, 17]; // first two params in group 0, the last in group 1
    const params = sizes.map((n) => dd.tensor(rng.float32(n), { requiresGrad: true }));
    const refs = params.map((p, i) => new Textbook(kind, i < 2 ? defaults : { ...defaults, ...second }, Array.from(p.data)));
    const opt = makers[kind]([{ params: params.slice(0, 2) }, { params: [params[2]], ...second }], defaults);
    for (let step = 0; step < 5; step++) {
      params.forEach((p, i) => {
        const g = rng.float32(sizes[i]);
        p.grad = dd.tensor(g);
        refs[i].step(g);
      });
      opt.step();
      params.forEach((p, i) => expectClose(p.data, refs[i].p));
    }
  });

  test('a state dict restored into a fresh optimizer gives the identical next step', () => {
    const rng = new TestRandom(11);
    const make = () => [dd.tensor(rng.float32(9), { requiresGrad: true }), dd.tensor(rng.float32(4), { requiresGrad: true })];
    const a = make();
    const optA = makers[kind]([{ params: [a[0]] }, { params: [a[1]], ...second }], defaults);
    for (let step = 0; step < 3; step++) {
      for (const p of a) p.grad = dd.tensor(rng.float32(p.numel));
      optA.step();
    }
    const saved = optA.stateDict();
    const b = a.map((p) => dd.tensor(p.data.slice(), { requiresGrad: true }));
    const optB = makers[kind]([{ params: [b[0]] }, { params: [b[1]] }], { lr: 123 });
    optB.loadStateDict(saved);
    for (let step = 0; step < 2; step++) {
      for (let i = 0; i < 2; i++) {
        const g = rng.float32(a[i].numel);
        a[i].grad = dd.tensor(g);
        b[i].grad = dd.tensor(g);
      }
      optA.step();
      optB.step();
      for (let i = 0; i < 2; i++) expect(Array.from(b[i].data)).toEqual(Array.from(a[i].data));
    }
    // The saved dict is a copy: the steps after it did not change it.
    expect(optA.stateDict()).not.toEqual(saved);
  });
});

test('parameters without a gradient are left alone, and zeroGrad clears gradients', () => {
  const p = dd.tensor([1, 2, 3], { requiresGrad: true });
  const q = dd.tensor([4, 5], { requiresGrad: true });
  const opt = new dd.optim.SGD([p, q], { lr: 0.5 });
  p.grad = dd.tensor([1, 1, 1]);
  opt.step();
  expect(Array.from(p.data)).toEqual([0.5, 1.5, 2.5]);
  expect(Array.from(q.data)).toEqual([4, 5]);
  opt.zeroGrad();
  expect(p.grad).toBeNull();
});

test('bad hyper-parameters and groups give clear errors', () => {
  const p = dd.tensor([1, 2], { requiresGrad: true });
  expect(() => new dd.optim.SGD([p], { lr: -1 })).toThrow(/lr must be >= 0/);
  expect(() => new dd.optim.SGD([p], { lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
  expect(() => new dd.optim.Adam([p], { betas: [1, 0.9] })).toThrow(/betas/);
  expect(() => new dd.optim.Adam([{ params: [p] }, { params: [p] }])).toThrow(/more than one group/);
  expect(() => new dd.optim.Adam([])).toThrow(/empty/);
  const opt = new dd.optim.Adam([p]);
  expect(() => opt.loadStateDict({ state: {}, paramGroups: [] })).toThrow(/1 parameter groups|0 parameter groups/);
});

test('regularizers in a group act on the gradient copy, then constrain after the update', () => {
  const p = dd.tensor([1, -2], { requiresGrad: true });
  const calls: string[] = [];
  const l2 = {
    penalty: (t: dd.Tensor) => 0.5 * Array.from(t.data).reduce((s, v) => s + v * v, 0),
    addGradient: (t: dd.Tensor, g: Float32Array) => {
      calls.push('grad');
      for (let i = 0; i < g.length; i++) g[i] += t.data[i];
    },
    afterUpdate: () => calls.push('after'),
  };
  const opt = new dd.optim.SGD([{ params: [p], regularizers: [l2] }], { lr: 0.1 });
  expect(opt.regularizationPenalty()).toBeCloseTo(2.5, 6);
  p.grad = dd.tensor([1, 1]);
  opt.step();
  // grad + p = [2, -1] → p - 0.1·that
  expectClose(p.data, [0.8, -1.9]);
  expect(Array.from(p.grad!.data)).toEqual([1, 1]);
  expect(calls).toEqual(['grad', 'after']);
});

test('zeroGrad with recycle hands gradient memory back; a kept gradient then throws instead of changing', () => {
  const p = dd.tensor(new Float32Array(64).fill(1), { requiresGrad: true });
  const opt = new dd.optim.SGD([p], { lr: 0.1 });
  p.mul(2).sum().backward();
  const kept = p.grad!;
  expect(kept.data[0]).toBe(2);
  opt.zeroGrad({ recycle: true });
  expect(p.grad).toBeNull();
  expect(() => kept.data).toThrow();
  p.mul(3).sum().backward();
  expect(p.grad!.data[0]).toBe(3);
});
