import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn, regularize } = dd;

/** L2 norms of the vectors along `normAxes` of a row-major array of `shape` (double reference). */
function norms(data: Float32Array, shape: number[], normAxes: number[]): Map<string, number> {
  const out = new Map<string, number>();
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let flat = 0; flat < data.length; flat++) {
    const idx = shape.map((_, i) => Math.floor(flat / strides[i]) % shape[i]);
    const key = idx.map((v, i) => (normAxes.includes(i) ? '*' : v)).join(',');
    out.set(key, (out.get(key) ?? 0) + data[flat] * data[flat]);
  }
  for (const [k, v] of out) out.set(k, Math.sqrt(v));
  return out;
}

function check(shape: number[], axis: number | number[] | undefined, normAxes: number[], c: number, seed: number) {
  const rng = new TestRandom(seed);
  const before = rng.float32(shape.reduce((a, b) => a * b, 1), -2, 2);
  const t = dd.tensor(before.slice(), shape);
  regularize.maxNorm(c, axis === undefined ? {} : { axis }).apply(t);
  const after = t.data;
  const nb = norms(before, shape, normAxes);
  const na = norms(after, shape, normAxes);
  let clipped = 0;
  for (const [k, n0] of nb) {
    const n1 = na.get(k)!;
    if (n0 > c) {
      clipped++;
      expect(n1).toBeCloseTo(c, 4);
    } else {
      expect(n1).toBe(n0); // untouched vectors keep their exact values
    }
  }
  // Projection scales, so every element keeps its sign and direction within its vector.
  for (let i = 0; i < after.length; i++) expect(Math.sign(after[i])).toBe(Math.sign(before[i]));
  return clipped;
}

test('default axes: each output unit of a Linear weight [out, in], each filter of an OIHW kernel, a whole bias', () => {
  expect(check([7, 13], undefined, [1], 2.5, 1)).toBeGreaterThan(0);
  expect(check([5, 3, 3, 3], undefined, [1, 2, 3], 3, 2)).toBeGreaterThan(0);
  expect(check([17], undefined, [0], 1, 3)).toBe(1);
});

test('explicit axes, negative and non-trailing ones permuted through', () => {
  expect(check([7, 13], 0, [0], 1.5, 4)).toBeGreaterThan(0);
  expect(check([4, 3, 5], [0, 2], [0, 2], 2, 5)).toBeGreaterThan(0);
  expect(check([4, 3, 5], -1, [2], 1, 6)).toBeGreaterThan(0);
  expect(() => regularize.maxNorm(1, { axis: 2 }).apply(dd.zeros([3, 3]))).toThrow(/axis 2 is out of range for a parameter of shape \[3,3\]/);
});

test('a hand-computed projection', () => {
  const t = dd.tensor([[3, 4], [0.3, 0.4], [0, 0]]);
  regularize.maxNorm(1).apply(t);
  const v = Array.from(t.data);
  [0.6, 0.8].forEach((e, i) => expect(v[i]).toBeCloseTo(e, 6));
  expect(v.slice(2)).toEqual(Array.from(Float32Array.from([0.3, 0.4, 0, 0])));
});

test('kernelConstraint holds after every fit step; in a parameter group it acts after each update', async () => {
  dd.manualSeed(7);
  const model = new nn.Sequential(new nn.Linear(6, 16, { kernelConstraint: regularize.maxNorm(0.3) }), new nn.ReLU(), new nn.Linear(16, 2));
  const rng = new TestRandom(2);
  const data = { x: dd.tensor(rng.float32(64 * 6, -3, 3), [64, 6]), y: dd.tensor(Int32Array.from({ length: 64 }, (_, i) => i % 2), [64], { dtype: 'int32' }) };
  const first = model.parameters()[0];
  const normsOk = () => {
    const w = first.data;
    for (let r = 0; r < 16; r++) {
      let s = 0;
      for (let c = 0; c < 6; c++) s += w[r * 6 + c] ** 2;
      if (Math.sqrt(s) > 0.3 * (1 + 1e-5)) return false;
    }
    return true;
  };
  let everyStep = true;
  await dd.fit(model, data, {
    epochs: 2, batchSize: 16, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.5 }), loss: 'crossEntropy', verbose: 0, seed: 1,
    callbacks: [{ onBatchEnd: () => void (everyStep = everyStep && normsOk()) }],
  });
  expect(everyStep).toBe(true);

  const w = dd.tensor([[10, 0], [0, 0.1]]).requiresGrad_();
  const opt = new dd.optim.SGD([{ params: [w], regularizers: [regularize.maxNorm(1)] }], { lr: 0.1 });
  w.grad = dd.tensor([[-1, 0], [0, 0]]);
  opt.step(); // 10.1 → projected to 1
  const v = Array.from(w.data);
  expect(v[0]).toBeCloseTo(1, 6);
  expect(v.slice(1)).toEqual([0, 0, Math.fround(0.1)]);
});
