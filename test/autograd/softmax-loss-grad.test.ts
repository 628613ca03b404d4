/** softmax/logSoftmax on every axis and the losses: values against double references, gradients against finite differences. */
import * as dd from '../../ts';
import * as ref from './support/reference';
import { gradcheck } from './support/gradcheck';

const F = dd.nn.functional;

test.each([
  [[4, 7], -1],
  [[4, 7], 0],
  [[2, 3, 5], 1],
  [[2, 3, 5], -3],
  [[6], 0],
  [[], -1],
])('softmax and logSoftmax of %j along %s', (shape, axis) => {
  const r = (x: ref.R, log: boolean) => (shape.length === 0 ? ref.map(x, () => (log ? 0 : 1)) : ref.softmax(x, axis, log));
  gradcheck((x) => x.softmax(axis), (x) => r(x, false), [{ shape, lo: -3, hi: 3 }]);
  gradcheck((x) => dd.logSoftmax(x, axis), (x) => r(x, true), [{ shape, lo: -3, hi: 3 }]);
});

test('softmax subtracts the row max (no overflow)', () => {
  const y = dd.softmax(dd.tensor([[1000, 1001, 1002], [-1000, -1000, -1000]]));
  expect(y.data.every(Number.isFinite)).toBe(true);
  expect((y.toArray() as number[][])[1]).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
});

/** Reference cross-entropy: -log softmax(x)[label] per row. */
function ceRows(x: ref.R, labels: number[]): number[] {
  const lp = ref.softmax(x, -1, true);
  return labels.map((l, i) => -lp.get([i, l]));
}

describe('crossEntropy', () => {
  const labels = [2, 0, 4, 4, 1];
  const y = dd.tensor(labels, { dtype: 'int32' });
  test.each(['mean', 'sum', 'none'] as const)('reduction %s', (reduction) => {
    gradcheck(
      (x) => F.crossEntropy(x, y, { reduction }),
      (x) => {
        const rows = ceRows(x, labels);
        if (reduction === 'none') return new ref.R(Float64Array.from(rows), [5]);
        const s = ref.sumOf(rows);
        return new ref.R(Float64Array.of(reduction === 'mean' ? s / 5 : s), []);
      },
      [{ shape: [5, 6], lo: -4, hi: 4 }],
    );
  });
  test('classes on axis 1 of [N, C, d] and a 1-D input', () => {
    const spatial = dd.tensor([[0, 2, 1], [1, 1, 0]], { dtype: 'int32' });
    gradcheck(
      (x) => F.crossEntropy(x, spatial),
      (x) => {
        const moved = ref.permute(x, [0, 2, 1]);
        const rows = ceRows(new ref.R(moved.data, [6, 3]), [0, 2, 1, 1, 1, 0]);
        return new ref.R(Float64Array.of(ref.sumOf(rows) / 6), []);
      },
      [{ shape: [2, 3, 3] }],
    );
    gradcheck(
      (x) => F.crossEntropy(x, dd.tensor(1, { dtype: 'int32' })),
      (x) => new ref.R(Float64Array.of(ceRows(new ref.R(x.data, [1, 4]), [1])[0]), []),
      [{ shape: [4] }],
    );
  });
  test('is stable for huge logits', () => {
    const loss = F.crossEntropy(dd.tensor([[1e4, 0, -1e4]]), dd.tensor([2], { dtype: 'int32' }));
    expect(loss.item()).toBeCloseTo(2e4, -1);
  });
  test('errors: float labels, bad labels, shape mismatch', () => {
    const x = dd.zeros([2, 3]);
    expect(() => F.crossEntropy(x, dd.tensor([0, 1]))).toThrow(TypeError);
    expect(() => F.crossEntropy(x, dd.tensor([0, 1]))).toThrow(/crossEntropy: labels must be int32, got float32/);
    expect(() => F.crossEntropy(x, dd.tensor([0, 3], { dtype: 'int32' }))).toThrow('crossEntropy: label 3 at position 1 is out of range for 3 classes');
    expect(() => F.crossEntropy(x, dd.tensor([0, -1], { dtype: 'int32' }))).toThrow(RangeError);
    expect(() => F.crossEntropy(x, dd.tensor([0, 1, 2], { dtype: 'int32' }))).toThrow(/labels of shape \[3\] do not match input of shape \[2,3\]/);
    expect(() => F.crossEntropy(x, dd.tensor([0, 1], { dtype: 'int32' }), { reduction: 'avg' as never })).toThrow(TypeError);
  });
});

test.each(['mean', 'sum', 'none'] as const)('nllLoss reduction %s', (reduction) => {
  const labels = [1, 0, 3];
  gradcheck(
    (x) => F.nllLoss(x.logSoftmax(1), dd.tensor(labels, { dtype: 'int32' }), { reduction }),
    (x) => {
      const rows = ceRows(x, labels);
      if (reduction === 'none') return new ref.R(Float64Array.from(rows), [3]);
      const s = ref.sumOf(rows);
      return new ref.R(Float64Array.of(reduction === 'mean' ? s / 3 : s), []);
    },
    [{ shape: [3, 4] }],
  );
});

const reduceRef = (x: ref.R, r: 'mean' | 'sum' | 'none') =>
  r === 'none' ? x : new ref.R(Float64Array.of(ref.sumOf(Array.from(x.data)) / (r === 'mean' ? x.data.length : 1)), []);

const pairLosses: Array<[string, (a: dd.Tensor, b: dd.Tensor, o: { reduction: 'mean' | 'sum' | 'none' }) => dd.Tensor, (x: number, t: number) => number, [number, number]]> = [
  ['mse', F.mse, (x, t) => (x - t) ** 2, [-2, 2]],
  ['l1Loss', F.l1Loss, (x, t) => Math.abs(x - t), [-2, 2]],
  ['huberLoss', (a, b, o) => F.huberLoss(a, b, { ...o, delta: 0.7 }), (x, t) => (Math.abs(x - t) <= 0.7 ? 0.5 * (x - t) ** 2 : 0.7 * (Math.abs(x - t) - 0.35)), [-2, 2]],
  ['smoothL1Loss', (a, b, o) => F.smoothL1Loss(a, b, { ...o, beta: 0.5 }), (x, t) => (Math.abs(x - t) < 0.5 ? (0.5 * (x - t) ** 2) / 0.5 : Math.abs(x - t) - 0.25), [-2, 2]],
  ['binaryCrossEntropyWithLogits', F.binaryCrossEntropyWithLogits, (x, t) => ref.softplus(x) - x * t, [-6, 6]],
  ['binaryCrossEntropy', F.binaryCrossEntropy, (p, t) => -(t * Math.log(p) + (1 - t) * Math.log(1 - p)), [0.05, 0.95]],
];

describe.each(pairLosses)('%s', (_, fn, f, [lo, hi]) => {
  test.each(['mean', 'sum', 'none'] as const)('reduction %s', (reduction) => {
    gradcheck(
      (x, t) => fn(x, t, { reduction }),
      (x, t) => reduceRef(ref.binary(x, t, f), reduction),
      [{ shape: [3, 5], lo, hi }, { shape: [3, 5], lo: 0, hi: 1 }],
    );
  });
});

test('binaryCrossEntropyWithLogits with posWeight, and its stability', () => {
  gradcheck(
    (x, t) => F.binaryCrossEntropyWithLogits(x, t, { posWeight: 3 }),
    (x, t) => reduceRef(ref.binary(x, t, (v, q) => (1 - q) * v + (1 + 2 * q) * ref.softplus(-v)), 'mean'),
    [{ shape: [4, 3], lo: -5, hi: 5 }, { shape: [4, 3], lo: 0, hi: 1 }],
  );
  const x = dd.tensor([-1e4, -80, 80, 1e4], { requiresGrad: true });
  const loss = F.binaryCrossEntropyWithLogits(x, dd.tensor([1, 1, 0, 0]), { reduction: 'sum' });
  expect(loss.item()).toBeCloseTo(2e4 + 160, 0);
  loss.backward();
  expect(Array.from(x.grad!.data)).toEqual([-1, -1, 1, 1]);
});

test('regression losses check that shapes match', () => {
  expect(() => F.mse(dd.zeros([2, 3]), dd.zeros([3, 2]))).toThrow('mse: input of shape [2,3] and target of shape [3,2] differ');
  expect(() => F.l1Loss(dd.zeros([2]), dd.zeros([2], { dtype: 'int32' }))).toThrow(TypeError);
});

describe('crossEntropy and nllLoss options', () => {
  const labels = [2, -100, 0, 1, 2];
  const y = dd.tensor(labels, { dtype: 'int32' });
  const weight = [0.5, 2, 1.5];
  /** PyTorch's definition, in double: weighted rows, ignored rows left out, mean over the counted weight. */
  const reference = (x: ref.R, o: { weight?: number[]; smoothing?: number; reduction: 'mean' | 'sum' | 'none' }) => {
    const lp = ref.softmax(x, -1, true);
    const eps = o.smoothing ?? 0;
    let total = 0, count = 0;
    const rows = labels.map((l, i) => {
      if (l === -100) return 0;
      const w = o.weight ? o.weight[l] : 1;
      const smooth = -[0, 1, 2].reduce((s, c) => s + lp.get([i, c]), 0) / 3;
      const v = w * ((1 - eps) * -lp.get([i, l]) + eps * smooth);
      total += v;
      count += w;
      return v;
    });
    if (o.reduction === 'none') return new ref.R(Float64Array.from(rows), [5]);
    return new ref.R(Float64Array.of(o.reduction === 'mean' ? total / count : total), []);
  };
  test.each(['mean', 'sum', 'none'] as const)('weight and ignoreIndex, reduction %s', (reduction) => {
    const w = dd.tensor(weight);
    gradcheck((x) => F.crossEntropy(x, y, { weight: w, ignoreIndex: -100, reduction }), (x) => reference(x, { weight, reduction }), [{ shape: [5, 3] }]);
    gradcheck((x) => F.nllLoss(x.logSoftmax(-1), y, { weight: w, ignoreIndex: -100, reduction }), (x) => reference(x, { weight, reduction }), [{ shape: [5, 3] }]);
  });
  test.each(['mean', 'sum', 'none'] as const)('labelSmoothing 0.2 with ignoreIndex, reduction %s', (reduction) => {
    gradcheck((x) => F.crossEntropy(x, y, { labelSmoothing: 0.2, ignoreIndex: -100, reduction }), (x) => reference(x, { smoothing: 0.2, reduction }), [{ shape: [5, 3] }]);
  });
  test('option errors', () => {
    const x = dd.zeros([5, 3]);
    expect(() => F.crossEntropy(x, y)).toThrow('crossEntropy: label -100 at position 1 is out of range for 3 classes');
    expect(() => F.crossEntropy(x, y, { ignoreIndex: -100, weight: dd.ones([4]) })).toThrow(/weight of shape \[4\] should have one entry per class \(\[3\]\)/);
    expect(() => F.crossEntropy(x, y, { ignoreIndex: -100, labelSmoothing: 1.5 })).toThrow(RangeError);
    expect(() => F.crossEntropy(x, dd.full([5], -100, { dtype: 'int32' }), { ignoreIndex: -100 })).toThrow(/mean is undefined/);
  });
});
