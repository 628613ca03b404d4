import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

function withGrad(values: number[]): dd.Tensor {
  const t = dd.zeros([values.length]).requiresGrad_();
  t.grad = dd.tensor(Float32Array.from(values), [values.length]);
  return t;
}

test('clipGradNorm returns the total norm and scales every gradient by maxNorm / norm', () => {
  const a = withGrad([3, 0]), b = withGrad([0, -4]), none = dd.zeros([2]).requiresGrad_();
  expect(dd.clipGradNorm([a, b, none], 1)).toBeCloseTo(5, 6);
  expect(Array.from(a.grad!.data).map((v) => +v.toFixed(5))).toEqual([0.6, 0]);
  expect(Array.from(b.grad!.data).map((v) => +v.toFixed(5))).toEqual([0, -0.8]);
  expect(none.grad).toBeNull();
  // Under the limit: unchanged, bit for bit.
  const c = withGrad([0.1, 0.2]);
  expect(dd.clipGradNorm(c, 1)).toBeCloseTo(Math.hypot(0.1, 0.2), 6);
  expect(Array.from(c.grad!.data)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
});

test('clipGradNorm with the infinity and 1 norms; non-finite norms are reported, not spread', () => {
  const a = withGrad([1, -6, 2]);
  expect(dd.clipGradNorm(a, 3, { normType: Infinity })).toBe(6);
  expect(Array.from(a.grad!.data).map((v) => +v.toFixed(4))).toEqual([0.5, -3, 1]);
  const b = withGrad([1, -1, 2]);
  expect(dd.clipGradNorm(b, 2, { normType: 1 })).toBe(4);
  expect(Array.from(b.grad!.data).map((v) => +v.toFixed(4))).toEqual([0.5, -0.5, 1]);
  const bad = withGrad([1, NaN]);
  expect(dd.clipGradNorm(bad, 1)).toBeNaN();
  expect(bad.grad!.data[0]).toBe(1);
  expect(() => dd.clipGradNorm(bad, 1, { errorIfNonfinite: true })).toThrow(/NaN or infinite/);
  expect(() => dd.clipGradNorm([a], 0)).toThrow(RangeError);
  expect(() => dd.clipGradNorm([a], 1, { normType: 3 })).toThrow(/normType/);
});

test('clipGradValue clamps each element', () => {
  const a = withGrad([-5, 0.25, 7, -0.5]);
  dd.clipGradValue([a], 0.5);
  expect(Array.from(a.grad!.data)).toEqual([-0.5, 0.25, 0.5, -0.5]);
  expect(() => dd.clipGradValue([a], -1)).toThrow(RangeError);
});

test('fit clipNorm / clipValue bound the gradients the optimizer sees', async () => {
  dd.manualSeed(5);
  const { nn } = dd;
  const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4));
  const rng = new TestRandom(9);
  const data = { x: dd.tensor(rng.float32(64 * 8, -20, 20), [64, 8]), y: dd.tensor(Int32Array.from({ length: 64 }, (_, i) => i % 4), [64], { dtype: 'int32' }) };
  const norms: number[] = [];
  let maxAbs = 0;
  const globalNorm = () => Math.sqrt(model.parameters().reduce((s, p) => s + Array.from(p.grad!.data).reduce((a, v) => a + v * v, 0), 0));
  await dd.fit(model, data, {
    epochs: 1, batchSize: 16, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.01 }), loss: 'crossEntropy', verbose: 0,
    clipNorm: 0.5, callbacks: [{ onBatchEnd: () => void norms.push(globalNorm()) }],
  });
  expect(norms).toHaveLength(4);
  for (const n of norms) expect(n).toBeLessThanOrEqual(0.5 + 1e-5);
  await dd.fit(model, data, {
    epochs: 1, batchSize: 16, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.01 }), loss: 'crossEntropy', verbose: 0,
    clipValue: 1e-3, callbacks: [{ onBatchEnd: () => { for (const p of model.parameters()) for (const v of p.grad!.data) maxAbs = Math.max(maxAbs, Math.abs(v)); } }],
  });
  expect(maxAbs).toBe(Math.fround(1e-3));
  await expect(dd.fit(model, data, { optimizer: new dd.optim.SGD(model.parameters(), { lr: 0 }), loss: 'crossEntropy', clipNorm: -1, verbose: 0 })).rejects.toThrow(/clipNorm/);
});
