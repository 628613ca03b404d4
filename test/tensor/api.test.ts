/** The public surface of tensors, autograd and ops: every name exported, and the methods on Tensor. */
import * as dd from '../../ts';

const functions = [
  // creation and random
  'tensor', 'asTensor', 'zeros', 'ones', 'full', 'zerosLike', 'onesLike', 'fullLike', 'arange', 'linspace', 'eye',
  'manualSeed', 'getRngState', 'setRngState', 'rand', 'randn', 'randint', 'randperm', 'randLike', 'randnLike',
  'memoryStats', 'emptyCache', 'setPoolLimit',
  // autograd
  'noGrad', 'enableGrad', 'isGradEnabled', 'setGradEnabled', 'backward',
  // ops
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'neg', 'abs', 'exp', 'log', 'sqrt', 'sign', 'square', 'reciprocal',
  'clamp', 'relu', 'sigmoid', 'logistic', 'tanh', 'leakyRelu', 'elu', 'gelu', 'silu', 'softplus', 'relu6', 'hardtanh', 'selu', 'mish',
  'matmul', 'linear', 'sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'reshape', 'view', 'flatten', 'squeeze', 'unsqueeze',
  'permute', 'transpose', 't', 'movedim', 'concat', 'cat', 'stack', 'narrow', 'slice', 'indexSelect', 'embedding',
  'clone', 'expand', 'broadcastTo', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'toDType', 'softmax', 'logSoftmax',
  'conv2d', 'maxPool2d', 'avgPool2d', 'dropout', 'dropout2d',
  'crossEntropy', 'nllLoss', 'mse', 'mseLoss', 'l1Loss', 'huberLoss', 'smoothL1Loss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits',
];

const functional = [
  'relu', 'sigmoid', 'logistic', 'tanh', 'leakyRelu', 'elu', 'gelu', 'silu', 'softplus', 'relu6', 'hardtanh', 'selu', 'mish',
  'linear', 'conv2d', 'maxPool2d', 'avgPool2d', 'dropout', 'dropout2d', 'softmax', 'logSoftmax', 'embedding',
  'crossEntropy', 'nllLoss', 'mse', 'mseLoss', 'l1Loss', 'huberLoss', 'smoothL1Loss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits',
];

const methods = [
  'backward', 'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'neg', 'abs', 'exp', 'log', 'sqrt', 'sign', 'square',
  'reciprocal', 'clamp', 'relu', 'sigmoid', 'tanh', 'leakyRelu', 'elu', 'gelu', 'silu', 'softplus', 'matmul', 'sum', 'mean',
  'max', 'min', 'argmax', 'argmin', 'reshape', 'view', 'flatten', 'squeeze', 'unsqueeze', 'permute', 'transpose', 't', 'movedim',
  'expand', 'narrow', 'slice', 'indexSelect', 'softmax', 'logSoftmax', 'clone', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'to', 'float',
  'int', 'copy_', 'fill_', 'zero_', 'detach', 'item', 'toArray', 'toJSON', 'size', 'retainGrad', 'requiresGrad_', 'toString',
];

test.each(functions)('dd.%s is a function', (name) => {
  expect(typeof (dd as unknown as Record<string, unknown>)[name]).toBe('function');
});

test.each(functional)('dd.nn.functional.%s is a function', (name) => {
  expect(typeof (dd.nn.functional as unknown as Record<string, unknown>)[name]).toBe('function');
});

test('Tensor methods and properties', () => {
  const t = dd.ones([2, 3]);
  for (const m of methods) expect(typeof (t as unknown as Record<string, unknown>)[m]).toBe('function');
  expect(t).toBeInstanceOf(dd.Tensor);
  for (const p of ['shape', 'dtype', 'data', 'numel', 'ndim', 'requiresGrad', 'grad', 'gradFn', 'isLeaf']) expect(p in t).toBe(true);
  // Methods are not enumerable: console output and object spreads stay clean.
  expect(Object.keys(dd.Tensor.prototype)).toEqual([]);
});

test('ops as functions and as methods agree', () => {
  const a = dd.tensor([[1, -2], [3, 4]]);
  expect(dd.matmul(a, a).relu().sum().item()).toBe(a.matmul(a).relu().sum().item());
  expect(a.softmax(-1).toArray()).toEqual(dd.softmax(a, -1).toArray());
  expect(a.argmax(-1).toArray()).toEqual([0, 1]);
  expect(a.transpose(0, 1).toArray()).toEqual([[1, 3], [-2, 4]]);
  expect(a.add(dd.tensor([1, 1])).toArray()).toEqual([[2, -1], [4, 5]]);
  expect(a.mul(2).toArray()).toEqual([[2, -4], [6, 8]]);
});
