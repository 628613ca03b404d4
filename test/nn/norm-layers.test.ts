/**
 * The normalization layers as modules: parameters and buffers under
 * PyTorch's names, the running statistics (momentum and the cumulative
 * average), which statistics each mode uses, errors that name the layer and
 * the shapes, printing, and saveModel/loadModel of a trained model.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts';
import { TestRandom } from '../support/random';
import { channelStats } from './norm-reference';
import { R } from '../autograd/support/reference';

const { nn } = dd;
const F = nn.functional;

function input(shape: number[], seed: number, offset = 0): dd.Tensor {
  const rng = new TestRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return dd.tensor(rng.float32(n, -2 + offset, 2 + offset), shape);
}

function stats(x: dd.Tensor) {
  return channelStats(new R(Float64Array.from(x.data), x.shape.slice()));
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-5): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want[i])));
}

describe('BatchNorm parameters and buffers', () => {
  test("PyTorch's state-dict names, shapes, initial values and dtypes", () => {
    const bn = new nn.BatchNorm2d(3);
    const dict = bn.stateDict();
    expect(Object.keys(dict)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(Array.from(dict.weight.data)).toEqual([1, 1, 1]);
    expect(Array.from(dict.bias.data)).toEqual([0, 0, 0]);
    expect(Array.from(dict.running_mean.data)).toEqual([0, 0, 0]);
    expect(Array.from(dict.running_var.data)).toEqual([1, 1, 1]);
    expect([dict.num_batches_tracked.dtype, dict.num_batches_tracked.shape, dict.num_batches_tracked.item()]).toEqual(['int32', [], 0]);
    // Only the weight and bias are trained.
    expect(bn.parameters()).toEqual([bn.weight, bn.bias]);
    expect([...bn.namedBuffers()].map(([n]) => n)).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
  });

  test('without affine: buffers only; without running statistics: weight and bias only', () => {
    expect(Object.keys(new nn.BatchNorm1d(4, { affine: false }).stateDict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(new nn.BatchNorm1d(4, { affine: false }).parameters()).toEqual([]);
    const plain = new nn.BatchNorm2d(2, { trackRunningStats: false });
    expect(Object.keys(plain.stateDict())).toEqual(['weight', 'bias']);
    expect([plain.runningMean, plain.runningVar, plain.numBatchesTracked]).toEqual([null, null, null]);
  });

  test('names inside a model follow the tree', () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2));
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked']);
  });
});

describe('running statistics', () => {
  test('momentum: r ← (1 − m)·r + m·batch value, the variance unbiased; the counter counts training batches', () => {
    const bn = new nn.BatchNorm2d(3, { momentum: 0.25 });
    const x = input([4, 3, 5, 2], 1, 3);
    const s = stats(x);
    const count = 4 * 5 * 2;
    bn.call(x);
    expectClose(bn.runningMean!.data, s.mean.map((m) => 0.25 * m));
    expectClose(bn.runningVar!.data, s.variance.map((v) => 0.75 + (0.25 * v * count) / (count - 1)));
    expect(bn.numBatchesTracked!.item()).toBe(1);
    // Under noGrad a training-mode forward still updates them, as in PyTorch.
    dd.noGrad(() => bn.call(x));
    expect(bn.numBatchesTracked!.item()).toBe(2);
    // Evaluation leaves them alone.
    const before = Array.from(bn.runningMean!.data);
    bn.eval().call(x);
    expect(Array.from(bn.runningMean!.data)).toEqual(before);
    expect(bn.numBatchesTracked!.item()).toBe(2);
  });

  test('momentum null: the cumulative average of every batch so far', () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null });
    const batches = [input([6, 2], 2), input([6, 2], 3, 1), input([6, 2], 4, -2)];
    for (const x of batches) bn.call(x);
    const all = batches.map(stats);
    for (let ch = 0; ch < 2; ch++) {
      expectClose([bn.runningMean!.data[ch]], [all.reduce((a, s) => a + s.mean[ch], 0) / 3]);
      expectClose([bn.runningVar!.data[ch]], [all.reduce((a, s) => a + (s.variance[ch] * 6) / 5, 0) / 3]);
    }
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  test('evaluation normalizes by the running statistics; without them, by the batch', () => {
    const x = input([3, 2, 4], 5, 1);
    const bn = new nn.BatchNorm1d(2);
    bn.runningMean!.data.set([0.5, -0.5]);
    bn.runningVar!.data.set([4, 0.25]);
    const y = bn.eval().call(x);
    for (let i = 0; i < x.numel; i++) {
      const ch = Math.floor(i / 4) % 2;
      expect(y.data[i]).toBeCloseTo((x.data[i] - [0.5, -0.5][ch]) / Math.sqrt([4, 0.25][ch] + 1e-5), 5);
    }
    const batchOnly = new nn.BatchNorm1d(2, { trackRunningStats: false }).eval();
    expectClose(batchOnly.call(x).data, F.batchNorm(x, null, null, { training: true }).data, 0);
  });

  test('resetRunningStats and resetParameters', () => {
    const bn = new nn.BatchNorm2d(2);
    bn.call(input([2, 2, 3, 3], 6, 4));
    bn.weight!.data.fill(3);
    bn.resetRunningStats();
    expect([Array.from(bn.runningMean!.data), Array.from(bn.runningVar!.data), bn.numBatchesTracked!.item()]).toEqual([[0, 0], [1, 1], 0]);
    expect(Array.from(bn.weight!.data)).toEqual([3, 3]);
    bn.resetParameters();
    expect(Array.from(bn.weight!.data)).toEqual([1, 1]);
  });
});

describe('errors name the layer, the argument and the shapes', () => {
  test('batch norm layers', () => {
    expect(() => new nn.BatchNorm2d(16).call(dd.zeros([2, 8, 4, 4]))).toThrow(/BatchNorm2d\(16\): input of shape \[2,8,4,4\] has 8 channels on axis 1, expected 16/);
    expect(() => new nn.BatchNorm1d(3).call(dd.zeros([2, 5]))).toThrow(/BatchNorm1d\(3\): input of shape \[2,5\] has 5 channels/);
    expect(() => new nn.BatchNorm2d(3).call(dd.zeros([2, 3, 4]))).toThrow(/BatchNorm2d\(3\): expected 4-D \[N, C, H, W\] input, got shape \[2,3,4\]/);
    expect(() => new nn.BatchNorm1d(3).call(dd.zeros([2, 3, 4, 4]))).toThrow(/BatchNorm1d\(3\): expected 2-D \[N, C\] or 3-D \[N, C, L\] input/);
    expect(() => new nn.BatchNorm1d(3).call(dd.zeros([1, 3]))).toThrow(/expected more than 1 value per channel when training, got input of shape \[1,3\]/);
    expect(() => new nn.BatchNorm1d(0)).toThrow(/BatchNorm1d: numFeatures must be a positive integer, got 0/);
    expect(() => new nn.BatchNorm1d(3, { eps: -1 })).toThrow(/BatchNorm1d: eps must be a finite number >= 0/);
    expect(() => new nn.BatchNorm2d(3, { momentun: 0.1 } as never)).toThrow(/BatchNorm2d: unknown option "momentun" \(did you mean "momentum"\?/);
    expect(() => new nn.BatchNorm2d(3, { affine: 1 } as never)).toThrow(TypeError);
  });

  test('a failed forward leaves the counter and the running statistics alone', () => {
    const bn = new nn.BatchNorm1d(3);
    expect(() => bn.call(dd.zeros([1, 3]))).toThrow(RangeError);
    expect(bn.numBatchesTracked!.item()).toBe(0);
  });

  test('layer norm and local response norm layers', () => {
    expect(() => new nn.LayerNorm([3, 4]).call(dd.zeros([2, 4, 3]))).toThrow(/LayerNorm\(\[3,4\]\): input of shape \[2,4,3\] does not end in the normalized shape \[3,4\]/);
    expect(() => new nn.LayerNorm([3, 4]).call(dd.zeros([4]))).toThrow(/does not end in the normalized shape/);
    expect(() => new nn.LayerNorm([])).toThrow(/LayerNorm: normalizedShape must be a positive integer or a non-empty list/);
    expect(() => new nn.LayerNorm(0)).toThrow(TypeError);
    expect(() => new nn.LayerNorm(4, { elementwise_affine: false } as never)).toThrow(/LayerNorm: unknown option "elementwise_affine"/);
    expect(() => new nn.LocalResponseNorm(0)).toThrow(/LocalResponseNorm: size must be a positive integer, got 0/);
    expect(() => new nn.LocalResponseNorm(2).call(dd.zeros([2, 3]))).toThrow(/localResponseNorm: input must have at least 3 dimensions \[N, C, \*\], got shape \[2,3\]/);
    expect(() => new nn.LocalResponseNorm(2, { alpha: NaN })).toThrow(/LocalResponseNorm: alpha must be a finite number/);
  });

  test('functional forms', () => {
    const x = dd.zeros([4, 3]);
    expect(() => F.batchNorm(x, null, null)).toThrow(/batchNorm: runningMean and runningVar are required when training is false/);
    expect(() => F.batchNorm(x, dd.zeros([4]), dd.ones([4]))).toThrow(/batchNorm: runningMean of shape \[4\] does not match the expected \[3\]/);
    expect(() => F.batchNorm(x, dd.zeros([3]), null, { training: true })).toThrow(/must be given together/);
    expect(() => F.batchNorm(x, null, null, { training: true, weight: dd.ones([2]) })).toThrow(/batchNorm: weight of shape \[2\] does not match the expected \[3\]/);
    expect(() => F.batchNorm(x, null, null, { training: true, eps: Infinity })).toThrow(/batchNorm: eps must be finite/);
    expect(() => F.batchNorm(x, null, null, { trainng: true } as never)).toThrow(/did you mean "training"/);
    expect(() => F.batchNorm(dd.zeros([3]), null, null, { training: true })).toThrow(/batchNorm: input must have at least 2 dimensions/);
    expect(() => F.batchNorm(dd.zeros([4, 3], { dtype: 'int32' }), null, null, { training: true })).toThrow(TypeError);
    expect(() => F.layerNorm(x, [4])).toThrow(/layerNorm: normalizedShape \[4\] must be the last axes of the input, got shape \[4,3\]/);
    expect(() => F.layerNorm(x, 3, { bias: dd.zeros([4]) })).toThrow(/layerNorm: bias of shape \[4\] does not match the expected \[3\]/);
    expect(() => F.localResponseNorm(dd.zeros([1, 2, 3]), 1.5)).toThrow(/localResponseNorm: size must be an integer/);
    expect(() => F.localResponseNorm(dd.zeros([1, 2, 3]), 2, { beta: 'x' } as never)).toThrow(/localResponseNorm: beta must be a number/);
  });
});

test('printing as PyTorch does, in camelCase', () => {
  expect(new nn.BatchNorm2d(8).toString()).toBe('BatchNorm2d(8, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)');
  expect(new nn.BatchNorm1d(4, { momentum: null, affine: false }).toString()).toBe('BatchNorm1d(4, eps=0.00001, momentum=null, affine=false, trackRunningStats=true)');
  expect(new nn.LayerNorm([3, 4], { bias: false }).toString()).toBe('LayerNorm([3,4], eps=0.00001, elementwiseAffine=true, bias=false)');
  expect(new nn.LocalResponseNorm(5, { k: 2 }).toString()).toBe('LocalResponseNorm(5, alpha=0.0001, beta=0.75, k=2)');
});

test('LayerNorm over [C, H, W] of images: weight and bias of that shape, each image normalized on its own', () => {
  const ln = new nn.LayerNorm([2, 3, 3]);
  expect(ln.weight!.shape).toEqual([2, 3, 3]);
  const x = input([2, 2, 3, 3], 7, 2);
  const y = ln.call(x).data;
  for (let i = 0; i < 2; i++) {
    const row = Array.from(y.slice(i * 18, (i + 1) * 18));
    const mean = row.reduce((a, b) => a + b, 0) / 18;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(row.reduce((a, b) => a + (b - mean) ** 2, 0) / 18).toBeCloseTo(1, 4);
  }
});

test('a trained model with batch norm saves and loads: running statistics, counters and evaluation outputs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-norm-'));
  try {
    dd.manualSeed(8);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.BatchNorm2d(3, { momentum: null }), new nn.ReLU(), new nn.LocalResponseNorm(2),
      new nn.Flatten(), new nn.Linear(3 * 4 * 4, 6), new nn.BatchNorm1d(6), new nn.LayerNorm(6), new nn.Linear(6, 2),
    );
    const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
    for (let step = 0; step < 3; step++) {
      const loss = F.crossEntropy(model.call(dd.randn([5, 1, 4, 4])), dd.tensor([0, 1, 1, 0, 1], { dtype: 'int32' }));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
    model.eval();
    const x = dd.randn([3, 1, 4, 4]);
    const want = dd.noGrad(() => model.call(x));
    await dd.saveModel(model, dir);
    const back = (await dd.loadModel(dir)) as dd.nn.Sequential;
    expect(back.toString()).toBe(model.toString());
    const a = model.stateDict(), b = back.stateDict();
    expect(b['1.num_batches_tracked'].item()).toBe(3);
    for (const k of Object.keys(a)) expect(Array.from(b[k]._typed())).toEqual(Array.from(a[k]._typed()));
    expect(Array.from(dd.noGrad(() => back.call(x)).data)).toEqual(Array.from(want.data));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the buffers are the fields under PyTorch names: assigning one replaces it, as in PyTorch', () => {
  const bn = new nn.BatchNorm1d(2).eval();
  (bn as unknown as Record<string, dd.Tensor>).running_mean = dd.tensor([1, -1]);
  expect(Array.from(bn.runningMean!.data)).toEqual([1, -1]);
  expect(Array.from(bn.stateDict().running_mean.data)).toEqual([1, -1]);
  expectClose(bn.call(dd.tensor([[1, -1], [3, 1]])).data, [0, 0, 2 / Math.sqrt(1 + 1e-5), 2 / Math.sqrt(1 + 1e-5)]);
});
