import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn, regularize } = dd;

function param(values: number[], shape: number[]): dd.Tensor {
  return dd.tensor(Float32Array.from(values), shape).requiresGrad_();
}

const W = [0.5, -2, 0, 1.25, -0.75, 3];

test('l1, l2 and elasticNet: value and gradient against hand-computed numbers', () => {
  const w = param(W, [2, 3]);
  // Σ|w| = 7.5, Σw² = 0.25 + 4 + 0 + 1.5625 + 0.5625 + 9 = 15.375
  expect(regularize.l1(0.1).penalty(w)).toBeCloseTo(0.75, 6);
  expect(regularize.l2(0.01).penalty(w)).toBeCloseTo(0.15375, 6);
  expect(regularize.elasticNet({ l1: 0.1, l2: 0.01 }).penalty(w)).toBeCloseTo(0.90375, 6);

  const g1 = new Float32Array(6).fill(1);
  regularize.l1(0.1).addGradient(w, g1);
  // 1 + 0.1·sign(w), sign(0) = 0
  expect(Array.from(g1)).toEqual(Array.from(Float32Array.from([1.1, 0.9, 1, 1.1, 0.9, 1.1])));

  const g2 = new Float32Array(6);
  regularize.l2(0.01).addGradient(w, g2);
  W.forEach((v, i) => expect(g2[i]).toBeCloseTo(2 * 0.01 * v, 7));

  const g3 = new Float32Array(6);
  regularize.elasticNet({ l1: 0.1, l2: 0.01 }).addGradient(w, g3);
  W.forEach((v, i) => expect(g3[i]).toBeCloseTo(0.1 * Math.sign(v) + 0.02 * v, 6));
});

test('policies check their coefficients and describe themselves', () => {
  expect(() => regularize.l2(-1)).toThrow(RangeError);
  expect(() => regularize.l1(NaN)).toThrow(/finite number >= 0/);
  expect(() => regularize.elasticNet({ l1: Infinity })).toThrow(/l1/);
  expect(() => regularize.maxNorm(-3)).toThrow(RangeError);
  expect(() => regularize.maxNorm(3, { axis: [] })).toThrow(/axis/);
  expect(String(regularize.l2(0.001))).toBe('l2(0.001)');
  expect(JSON.parse(JSON.stringify(regularize.elasticNet({ l1: 1e-5, l2: 1e-4 })))).toEqual({ kind: 'elasticNet', l1: 1e-5, l2: 1e-4 });
});

test('layer options attach penalties; penaltyLoss is in the graph and its gradient adds to the loss gradient', () => {
  dd.manualSeed(3);
  const layer = new nn.Linear(4, 3, { kernelRegularizer: regularize.l2(0.05), biasRegularizer: regularize.l1(0.2) });
  const x = dd.tensor(new TestRandom(1).float32(8), [2, 4]);
  const dataLoss = layer.call(x).square().mean();
  const total = dd.add(dataLoss, regularize.penaltyLoss(layer));

  const w = Array.from(layer.weight.data), b = Array.from(layer.bias!.data);
  const expected = dataLoss.item() + 0.05 * w.reduce((s, v) => s + v * v, 0) + 0.2 * b.reduce((s, v) => s + Math.abs(v), 0);
  expect(total.item()).toBeCloseTo(expected, 5);

  // Gradient of the data loss alone, from a fresh graph.
  const plain = new nn.Linear(4, 3);
  plain.loadStateDict(layer.stateDict());
  plain.call(x).square().mean().backward();
  total.backward();
  w.forEach((v, i) => expect(layer.weight.grad!.data[i]).toBeCloseTo(plain.weight.grad!.data[i] + 2 * 0.05 * v, 5));
  b.forEach((v, i) => expect(layer.bias!.grad!.data[i]).toBeCloseTo(plain.bias!.grad!.data[i] + 0.2 * Math.sign(v), 5));
});

test('the penalty op scales its gradient by the upstream gradient, negative included', () => {
  const w = param(W, [6]);
  regularize.attach(w, regularize.elasticNet({ l1: 0.5, l2: 0.25 }));
  dd.mul(regularize.penaltyLoss([w]), -3).backward();
  W.forEach((v, i) => expect(w.grad!.data[i]).toBeCloseTo(-3 * (0.5 * Math.sign(v) + 0.5 * v), 5));
  regularize.detach(w);
  expect(regularize.penaltyLoss([w]).item()).toBe(0);
});

test('several penalties on one tensor add up; constraints are rejected where penalties belong', () => {
  const w = param(W, [2, 3]);
  regularize.attach(w, regularize.l1(0.1), regularize.l2(0.01));
  expect(regularize.penaltyLoss([w]).item()).toBeCloseTo(0.90375, 5);
  expect(() => new nn.Linear(2, 2, { kernelRegularizer: regularize.maxNorm(1) as never })).toThrow(/kernelConstraint takes constraints/);
  expect(() => new nn.Linear(2, 2, { kernelConstraint: regularize.l2(1) as never })).toThrow(/kernelRegularizer takes penalties/);
  expect(() => new nn.Linear(2, 2, { bias: false, biasRegularizer: regularize.l2(1) })).toThrow(/without a bias/);
  expect(() => regularize.attach(w, {} as never)).toThrow(TypeError);
});

test('Conv2d and Embedding take their Keras-named options too', () => {
  const conv = new nn.Conv2d(2, 3, 3, { kernelRegularizer: regularize.l2(1e-3), kernelConstraint: regularize.maxNorm(2) });
  expect(regularize.attachedTo(conv.weight).penalties).toHaveLength(1);
  expect(regularize.attachedTo(conv.weight).constraints).toHaveLength(1);
  expect(regularize.attachedTo(conv.bias!).penalties).toHaveLength(0);
  const emb = new nn.Embedding(10, 4, { embeddingsRegularizer: regularize.l1(1e-4), embeddingsConstraint: regularize.maxNorm(1) });
  expect(regularize.attachedTo(emb.weight).penalties[0].kind).toBe('l1');
  expect(() => new nn.Embedding(10, 4, { embeddingsRegularizer: regularize.maxNorm(1) as never })).toThrow(/embeddingsConstraint/);
});
