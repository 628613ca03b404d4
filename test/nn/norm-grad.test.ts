/**
 * Gradients of batch, layer and local response normalization (functional
 * forms and layers, training and evaluation mode) against central finite
 * differences of double-precision references.
 */
import * as dd from '../../ts';
import { R } from '../autograd/support/reference';
import { gradcheck, InputSpec } from '../autograd/support/gradcheck';
import * as ref from './norm-reference';

const F = dd.nn.functional;
const { nn } = dd;

const running = { mean: [0.3, -0.2, 0.5, 0.1], variance: [0.8, 1.7, 0.4, 1.1] };

function runningTensors(c: number): [dd.Tensor, dd.Tensor] {
  return [dd.tensor(running.mean.slice(0, c)), dd.tensor(running.variance.slice(0, c))];
}

function featureSpecs(c: number): InputSpec[] {
  return [{ shape: [c], lo: 0.5, hi: 1.5 }, { shape: [c] }];
}

// Both batch-norm layouts: columns (planes below 32, [N, C]) and spans.
const batchShapes = [[4, 3], [3, 2, 5], [2, 3, 4, 5], [2, 2, 6, 6], [1, 4, 33]];

describe.each(batchShapes.map((s) => [s]))('batchNorm on %j', (shape) => {
  const c = shape[1];
  test('training: through the batch statistics, with weight and bias', () => {
    gradcheck(
      (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
      (x, w, b) => ref.batchNorm(x, w, b, 1e-5),
      [{ shape }, ...featureSpecs(c)],
    );
  });

  test('training without weight and bias, running statistics updated on the side', () => {
    const [rm, rv] = runningTensors(c);
    gradcheck((x) => F.batchNorm(x, rm, rv, { training: true, eps: 1e-3 }), (x) => ref.batchNorm(x, null, null, 1e-3), [{ shape }]);
  });

  test('evaluation: the running statistics are constants', () => {
    const [rm, rv] = runningTensors(c);
    gradcheck(
      (x, w, b) => F.batchNorm(x, rm, rv, { weight: w, bias: b }),
      (x, w, b) => ref.batchNorm(x, w, b, 1e-5, { mean: running.mean, variance: running.variance }),
      [{ shape }, ...featureSpecs(c)],
    );
  });
});

test('batchNorm with only a bias', () => {
  gradcheck(
    (x, b) => F.batchNorm(x, null, null, { bias: b, training: true }),
    (x, b) => ref.batchNorm(x, null, b, 1e-5),
    [{ shape: [3, 2, 3] }, { shape: [2] }],
  );
});

const layerCases: Array<[number[], number[]]> = [[[3, 5], [5]], [[2, 3, 4], [3, 4]], [[4, 1, 7], [7]], [[2, 17], [17]]];

describe.each(layerCases)('layerNorm of %j over %j', (shape, normalized) => {
  const cols = normalized.reduce((a, b) => a * b, 1);
  test('with weight and bias', () => {
    gradcheck(
      (x, w, b) => F.layerNorm(x, normalized, { weight: w, bias: b }),
      (x, w, b) => ref.layerNorm(x, cols, w, b, 1e-5),
      [{ shape }, { shape: normalized, lo: 0.5, hi: 1.5 }, { shape: normalized }],
    );
  });
  test('without', () => {
    gradcheck((x) => F.layerNorm(x, normalized, { eps: 1e-3 }), (x) => ref.layerNorm(x, cols, null, null, 1e-3), [{ shape }]);
  });
});

const lrnCases: Array<[number[], number]> = [[[2, 5, 3], 3], [[2, 6, 2, 3], 4], [[1, 3, 4], 1], [[2, 4, 5], 7], [[1, 7, 70], 5]];

test.each(lrnCases)('localResponseNorm of %j, size %i', (shape, size) => {
  // A large alpha, so the window's part of the gradient is not lost under the direct one.
  const options = { alpha: 0.9, beta: 0.75, k: 1.5 };
  gradcheck((x) => F.localResponseNorm(x, size, options), (x) => ref.localResponseNorm(x, size, 0.9, 0.75, 1.5), [{ shape, lo: -2, hi: 2 }]);
});

// The layers: parameters swapped for the checked tensors.
type Affine = { weight: dd.Tensor | null; bias: dd.Tensor | null };
function withParameters(layer: dd.nn.Module & Affine) {
  return (x: dd.Tensor, w: dd.Tensor, b: dd.Tensor) => {
    layer.weight = w;
    layer.bias = b;
    return layer.call(x);
  };
}

describe.each([
  ['BatchNorm1d', (o: dd.nn.BatchNormOptions = {}) => new nn.BatchNorm1d(3, { momentum: null, ...o }), [5, 3]],
  ['BatchNorm1d on [N, C, L]', (o: dd.nn.BatchNormOptions = {}) => new nn.BatchNorm1d(3, o), [2, 3, 4]],
  ['BatchNorm2d', (o: dd.nn.BatchNormOptions = {}) => new nn.BatchNorm2d(2, o), [2, 2, 3, 3]],
] as const)('%s', (_name, make, shape) => {
  const c = shape[1];
  test('training mode', () => {
    const layer = make().train();
    gradcheck(withParameters(layer), (x, w, b) => ref.batchNorm(x, w, b, 1e-5), [{ shape: [...shape] }, ...featureSpecs(c)]);
  });
  test('evaluation mode', () => {
    const layer = make().eval();
    layer.runningMean!.data.set(running.mean.slice(0, c));
    layer.runningVar!.data.set(running.variance.slice(0, c));
    gradcheck(
      withParameters(layer),
      (x, w, b) => ref.batchNorm(x, w, b, 1e-5, { mean: running.mean, variance: running.variance }),
      [{ shape: [...shape] }, ...featureSpecs(c)],
    );
  });
  test('without running statistics, batch statistics in both modes', () => {
    for (const training of [true, false]) {
      const layer = make({ trackRunningStats: false });
      layer.training = training;
      gradcheck(withParameters(layer), (x, w, b) => ref.batchNorm(x, w, b, 1e-5), [{ shape: [...shape] }, ...featureSpecs(c)]);
    }
  });
});

test('LayerNorm layer', () => {
  const layer = new nn.LayerNorm([3, 4], { eps: 1e-4 });
  gradcheck(
    withParameters(layer),
    (x, w, b) => ref.layerNorm(x, 12, w, b, 1e-4),
    [{ shape: [2, 3, 4] }, { shape: [3, 4], lo: 0.5, hi: 1.5 }, { shape: [3, 4] }],
  );
});

test('LocalResponseNorm layer', () => {
  const layer = new nn.LocalResponseNorm(3, { alpha: 0.5, beta: 0.6, k: 2 });
  gradcheck((x) => layer.call(x), (x: R) => ref.localResponseNorm(x, 3, 0.5, 0.6, 2), [{ shape: [2, 4, 2, 2], lo: -2, hi: 2 }]);
});
