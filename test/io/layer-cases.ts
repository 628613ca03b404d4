/** One instance of every dd.nn layer type, with non-default options where it has any, and an input it accepts. */
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn } = dd;

export interface LayerCase {
  name: string;
  make: () => dd.nn.Module;
  /** Shape of an input the layer accepts (int32 indices when `indices` is set). */
  input: number[];
  indices?: number;
}

export const LAYER_CASES: LayerCase[] = [
  { name: 'Linear', make: () => new nn.Linear(5, 3), input: [4, 5] },
  { name: 'Linear without bias', make: () => new nn.Linear(4, 2, { bias: false }), input: [3, 4] },
  {
    name: 'Conv2d',
    make: () => new nn.Conv2d(2, 3, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], bias: false }),
    input: [2, 2, 7, 6],
  },
  { name: 'Conv2d with bias', make: () => new nn.Conv2d(1, 2, 3, { padding: 1 }), input: [2, 1, 5, 5] },
  { name: "Conv2d grouped, padding 'same'", make: () => new nn.Conv2d(4, 6, 3, { groups: 2, padding: 'same' }), input: [2, 4, 5, 6] },
  { name: 'Conv2d depthwise', make: () => new nn.Conv2d(3, 6, [3, 2], { groups: 3, stride: 2, padding: 1, bias: false }), input: [2, 3, 7, 6] },
  {
    name: 'ConvTranspose2d',
    make: () => new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
    input: [2, 4, 4, 3],
  },
  { name: 'ConvTranspose2d dilated', make: () => new nn.ConvTranspose2d(2, 3, [2, 3], { dilation: 2, outputPadding: 1, bias: false }), input: [1, 2, 3, 4] },
  { name: 'MaxPool2d', make: () => new nn.MaxPool2d([2, 3], [1, 2], [1, 1]), input: [2, 3, 6, 7] },
  { name: 'AvgPool2d', make: () => new nn.AvgPool2d(3, 2, 1, { countIncludePad: false }), input: [2, 2, 7, 7] },
  { name: 'AvgPool2d counting padding', make: () => new nn.AvgPool2d(2), input: [1, 2, 4, 6] },
  { name: 'MaxPool2d ceil mode, dilated', make: () => new nn.MaxPool2d(3, { stride: 2, padding: 1, dilation: [1, 2], ceilMode: true }), input: [2, 2, 7, 8] },
  { name: 'AvgPool2d ceil mode', make: () => new nn.AvgPool2d([3, 2], { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), input: [2, 2, 6, 7] },
  { name: 'AdaptiveAvgPool2d', make: () => new nn.AdaptiveAvgPool2d([2, null]), input: [2, 3, 6, 5] },
  { name: 'AdaptiveMaxPool2d', make: () => new nn.AdaptiveMaxPool2d(1), input: [2, 3, 5, 7] },
  { name: 'GlobalAvgPool2d', make: () => new nn.GlobalAvgPool2d(), input: [2, 3, 4, 5] },
  { name: 'GlobalAvgPool2d keeping dims', make: () => new nn.GlobalAvgPool2d({ keepDims: true }), input: [2, 3, 4, 5] },
  { name: 'Upsample nearest', make: () => new nn.Upsample({ scaleFactor: 2 }), input: [2, 2, 3, 4] },
  { name: 'Upsample bilinear', make: () => new nn.Upsample({ size: [5, 7], mode: 'bilinear' }), input: [2, 2, 3, 4] },
  { name: 'Upsample bilinear, corners aligned', make: () => new nn.Upsample({ scaleFactor: [1.5, 2], mode: 'bilinear', alignCorners: true }), input: [1, 2, 4, 3] },
  { name: 'Dropout', make: () => new nn.Dropout(0.3), input: [3, 5] },
  { name: 'Dropout2d', make: () => new nn.Dropout2d(0.2), input: [2, 3, 4, 4] },
  { name: 'Flatten', make: () => new nn.Flatten(), input: [2, 3, 4] },
  { name: 'Flatten of middle axes', make: () => new nn.Flatten(2, 3), input: [2, 3, 4, 5, 2] },
  { name: 'Identity', make: () => new nn.Identity(), input: [2, 3] },
  { name: 'Embedding', make: () => new nn.Embedding(7, 4), input: [3, 5], indices: 7 },
  { name: 'ReLU', make: () => new nn.ReLU(), input: [3, 4] },
  { name: 'Sigmoid', make: () => new nn.Sigmoid(), input: [3, 4] },
  { name: 'Logistic', make: () => new nn.Logistic(), input: [3, 4] },
  { name: 'Tanh', make: () => new nn.Tanh(), input: [3, 4] },
  { name: 'LeakyReLU', make: () => new nn.LeakyReLU(0.2), input: [3, 4] },
  { name: 'ELU', make: () => new nn.ELU(0.7), input: [3, 4] },
  { name: 'GELU', make: () => new nn.GELU(), input: [3, 4] },
  { name: 'SiLU', make: () => new nn.SiLU(), input: [3, 4] },
  { name: 'Softplus', make: () => new nn.Softplus(), input: [3, 4] },
  { name: 'Softmax', make: () => new nn.Softmax(1), input: [2, 3, 4] },
  { name: 'LogSoftmax', make: () => new nn.LogSoftmax(), input: [3, 4] },
  {
    name: 'nested Sequential',
    make: () => new nn.Sequential(new nn.Sequential(new nn.Linear(6, 5), new nn.Tanh()), new nn.Sequential(new nn.Linear(5, 2))),
    input: [3, 6],
  },
];

/** A deterministic input for a case. */
export function inputFor(c: LayerCase, seed = 1): dd.Tensor {
  const rng = new TestRandom(seed);
  const n = c.input.reduce((a, b) => a * b, 1);
  if (c.indices !== undefined) return dd.tensor(Int32Array.from({ length: n }, () => rng.int(0, c.indices!)), c.input);
  return dd.tensor(rng.float32(n, -2, 2), c.input);
}

// The deep-network blocks, when dd.nn has them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const blocks = nn as unknown as Record<string, (new (...args: any[]) => dd.nn.Module) | undefined>;
const { Highway, Residual, ResidualDense, ResidualConv2d } = blocks;
if (Highway) {
  LAYER_CASES.push({ name: 'Highway', make: () => new Highway(5, { activation: 'tanh', gateBias: -1 }), input: [3, 5] });
  LAYER_CASES.push({ name: 'Highway with GELU', make: () => new Highway(4, { activation: 'gelu' }), input: [2, 4] });
}
if (Residual) {
  LAYER_CASES.push({ name: 'Residual', make: () => new Residual(new nn.Sequential(new nn.Linear(4, 4), new nn.ELU(0.5))), input: [2, 4] });
}
if (ResidualDense) {
  LAYER_CASES.push({ name: 'ResidualDense', make: () => new ResidualDense(6, { hiddenDim: 3, activation: 'silu' }), input: [2, 6] });
  LAYER_CASES.push({ name: 'ResidualDense with leakyRelu', make: () => new ResidualDense(3, { activation: 'leakyRelu' }), input: [2, 3] });
}
if (ResidualConv2d) {
  LAYER_CASES.push({ name: 'ResidualConv2d with a shortcut', make: () => new ResidualConv2d(2, { outChannels: 3, stride: 2 }), input: [2, 2, 6, 6] });
  LAYER_CASES.push({ name: 'ResidualConv2d', make: () => new ResidualConv2d(3, { kernelSize: 5 }), input: [1, 3, 5, 5] });
}

// The normalization layers; batch norm with running statistics of its own (not the initial zeros and ones).
function withRunningStats<M extends dd.nn.BatchNorm1d | dd.nn.BatchNorm2d>(m: M): M {
  const rng = new TestRandom(m.numFeatures);
  m.runningMean?.data.set(rng.float32(m.numFeatures, -1, 1));
  m.runningVar?.data.set(rng.float32(m.numFeatures, 0.5, 2));
  m.weight?.data.set(rng.float32(m.numFeatures, 0.5, 1.5));
  m.bias?.data.set(rng.float32(m.numFeatures));
  return m;
}
LAYER_CASES.push(
  { name: 'BatchNorm1d', make: () => withRunningStats(new nn.BatchNorm1d(4, { momentum: null, eps: 1e-3 })), input: [3, 4] },
  { name: 'BatchNorm1d on [N, C, L] without affine', make: () => withRunningStats(new nn.BatchNorm1d(3, { affine: false })), input: [2, 3, 5] },
  { name: 'BatchNorm2d', make: () => withRunningStats(new nn.BatchNorm2d(2, { momentum: 0.3 })), input: [2, 2, 4, 3] },
  { name: 'BatchNorm2d without running statistics', make: () => withRunningStats(new nn.BatchNorm2d(3, { trackRunningStats: false })), input: [2, 3, 3, 3] },
  { name: 'LayerNorm', make: () => new nn.LayerNorm([3, 4], { eps: 1e-3 }), input: [2, 3, 4] },
  { name: 'LayerNorm without bias', make: () => new nn.LayerNorm(5, { bias: false }), input: [3, 5] },
  { name: 'LocalResponseNorm', make: () => new nn.LocalResponseNorm(3, { alpha: 0.1, k: 2 }), input: [2, 5, 3, 3] },
  { name: 'LocalResponseNorm of even size on [N, C, L]', make: () => new nn.LocalResponseNorm(4, { alpha: 0.5, beta: 0.6 }), input: [2, 6, 5] },
);
