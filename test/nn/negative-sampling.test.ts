/** Negative sampling: samplers, the loss against a dense double reference, and sparse row updates. */
import * as dd from '../../ts';
import { TestRandom } from '../support/random';
import { expectGradient, softplus } from './deep-support';

const { nn } = dd;
const F = dd.nn.functional;

describe('samplers', () => {
  test('UnigramSampler draws from counts^0.75 (alias method), seeded', () => {
    const counts = [100, 10, 1, 0, 50, 5];
    const s = new nn.UnigramSampler(counts, { power: 0.75, seed: 7 });
    const weights = counts.map((c) => (c === 0 ? 0 : Math.pow(c, 0.75)));
    const total = weights.reduce((a, b) => a + b, 0);
    const n = 200000;
    const draws = new Int32Array(n);
    s.sampleInto(draws);
    const hist = new Array(counts.length).fill(0);
    for (const d of draws) hist[d]++;
    for (let i = 0; i < counts.length; i++) {
      const p = weights[i] / total;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(hist[i] - n * p)).toBeLessThanOrEqual(4 * sd + 1e-9);
    }
    expect(hist[3]).toBe(0);
    const again = new Int32Array(n);
    new nn.UnigramSampler(counts, { power: 0.75, seed: 7 }).sampleInto(again);
    expect(again).toEqual(draws);
  });

  test('UniformSampler stays in range; bad counts are errors', () => {
    const out = new Int32Array(10000);
    new nn.UniformSampler(13, { seed: 1 }).sampleInto(out);
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(12);
    expect(() => new nn.UnigramSampler([])).toThrow(RangeError);
    expect(() => new nn.UnigramSampler([1, -1])).toThrow(/counts\[1\]/);
    expect(() => new nn.UnigramSampler([0, 0])).toThrow(/all be zero/);
  });
});

function setup(seed: number) {
  const rng = new TestRandom(seed);
  const B = 3, D = 4, V = 11, K = 3;
  const h = rng.float32(B * D);
  const w = rng.float32(V * D);
  const targets = Int32Array.from([2, 7, 2]);
  const negatives = Int32Array.from([0, 5, 7, 1, 1, 9, 10, 3, 2]);
  return { B, D, V, K, h, w, targets, negatives };
}

describe('negativeSamplingLoss', () => {
  test('value and gradients equal the dense double reference', () => {
    const { B, D, V, K, h, w, targets, negatives } = setup(1);
    const hd = Float64Array.from(h), wd = Float64Array.from(w);
    const reference = () => {
      let loss = 0;
      for (let b = 0; b < B; b++) {
        const dot = (row: number) => { let s = 0; for (let j = 0; j < D; j++) s += hd[b * D + j] * wd[row * D + j]; return s; };
        loss += softplus(-dot(targets[b]));
        for (let k = 0; k < K; k++) loss += softplus(dot(negatives[b * K + k]));
      }
      return loss / B;
    };
    const ht = dd.tensor(h, [B, D], { requiresGrad: true });
    const wt = dd.tensor(w, [V, D], { requiresGrad: true });
    const loss = F.negativeSamplingLoss(ht, wt, dd.tensor(targets, [B], { dtype: 'int32' }), {
      negatives: dd.tensor(negatives, [B, K], { dtype: 'int32' }),
    });
    expect(loss.item()).toBeCloseTo(reference(), 5);
    loss.backward();
    expectGradient(hd, reference, ht.grad!.data, 'hidden');
    expectGradient(wd, reference, wt.grad!.data, 'table');
  });

  test('a sparse table gets the same gradient as row gradients, and SparseSGD touches only those rows', () => {
    const { B, D, V, K, h, w, targets, negatives } = setup(2);
    const args = (table: dd.Tensor) => F.negativeSamplingLoss(dd.tensor(h, [B, D]), table, dd.tensor(targets, [B], { dtype: 'int32' }), {
      negatives: dd.tensor(negatives, [B, K], { dtype: 'int32' }),
    });
    const dense = dd.tensor(w, [V, D], { requiresGrad: true });
    args(dense).backward();
    const table = nn.sparseGrad(dd.tensor(w, [V, D], { requiresGrad: true }));
    args(table).backward();
    expect(table.grad).toBeNull();
    const rows = nn.rowGradients(table)!;
    const summed = new Float64Array(V * D);
    rows.indices.forEach((r, i) => { for (let j = 0; j < D; j++) summed[r * D + j] += rows.values[i * D + j]; });
    for (let i = 0; i < V * D; i++) expect(summed[i]).toBeCloseTo(dense.grad!.data[i], 6);

    const before = Float32Array.from(table.data);
    const opt = new dd.optim.SparseSGD([table], { lr: 0.5 });
    opt.step();
    const touched = new Set([...targets, ...negatives]);
    for (let r = 0; r < V; r++) {
      for (let j = 0; j < D; j++) {
        const i = r * D + j;
        if (touched.has(r)) expect(table.data[i]).toBeCloseTo(before[i] - 0.5 * dense.grad!.data[i], 5);
        else expect(table.data[i]).toBe(before[i]);
      }
    }
    opt.zeroGrad();
    expect(nn.rowGradients(table)).toBeNull();
  });

  test('SparseAdam: the first step moves each touched element by about lr, untouched rows stay', () => {
    const { B, D, V, K, h, w, targets, negatives } = setup(3);
    const table = nn.sparseGrad(dd.tensor(w, [V, D], { requiresGrad: true }));
    F.negativeSamplingLoss(dd.tensor(h, [B, D]), table, dd.tensor(targets, [B], { dtype: 'int32' }), {
      negatives: dd.tensor(negatives, [B, K], { dtype: 'int32' }),
    }).backward();
    const before = Float32Array.from(table.data);
    new dd.optim.SparseAdam([table], { lr: 0.01 }).step();
    const touched = new Set([...targets, ...negatives]);
    for (let r = 0; r < V; r++) {
      for (let j = 0; j < D; j++) {
        const delta = Math.abs(table.data[r * D + j] - before[r * D + j]);
        if (touched.has(r)) expect(delta).toBeCloseTo(0.01, 4);
        else expect(delta).toBe(0);
      }
    }
  });

  test('rowLookup gives sparse gradients for input embeddings too', () => {
    const table = nn.sparseGrad(dd.tensor(new TestRandom(4).float32(20), [5, 4], { requiresGrad: true }));
    const out = F.rowLookup(table, dd.tensor([1, 3, 1], { dtype: 'int32' }));
    out.sum().backward();
    const g = nn.rowGradients(table)!;
    expect(Array.from(g.indices)).toEqual([1, 3, 1]);
    expect(Array.from(g.values)).toEqual(new Array(12).fill(1));
  });

  test('bad targets, shapes and samplers are clear errors', () => {
    const h = dd.zeros([2, 3]);
    const w = dd.zeros([5, 3]);
    expect(() => F.negativeSamplingLoss(h, w, dd.tensor([0, 5], { dtype: 'int32' }))).toThrow(/targets\[1\] = 5/);
    expect(() => F.negativeSamplingLoss(h, dd.zeros([5, 4]), dd.tensor([0, 1], { dtype: 'int32' }))).toThrow(/\[B, D\]/);
    expect(() => F.negativeSamplingLoss(h, w, dd.tensor([0, 1]))).toThrow(TypeError);
    expect(() => F.negativeSamplingLoss(h, w, dd.tensor([0, 1], { dtype: 'int32' }), { sampler: new nn.UniformSampler(7) })).toThrow(/7 classes/);
  });
});
