/** Elementwise ops: forward against double references, gradients against finite differences, broadcast shapes included. */
import * as dd from '../../ts';
import * as ref from './support/reference';
import { gradcheck } from './support/gradcheck';

const broadcastPairs: Array<[number[], number[]]> = [
  [[3, 4], [3, 4]],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [[2, 1, 4], [3, 1]],
  [[4, 1], [1, 5]],
  [[2, 3], []],
  [[], [2, 3]],
  [[1], [7]],
  [[2, 3, 1, 2], [3, 5, 1]],
];

type Binary = (a: dd.Tensor, b: dd.Tensor) => dd.Tensor;
// maximum/minimum have a kink where a = b: a small step keeps near-ties from blurring the differences.
const binaryCases: Array<[string, Binary, (x: number, y: number) => number, { lo?: number; hi?: number; away?: number; step?: number }]> = [
  ['add', dd.add, (x, y) => x + y, {}],
  ['sub', dd.sub, (x, y) => x - y, {}],
  ['mul', dd.mul, (x, y) => x * y, {}],
  ['div', dd.div, (x, y) => x / y, { away: 0.5 }],
  ['pow', dd.pow, (x, y) => Math.pow(x, y), { lo: 0.5, hi: 2 }],
  ['maximum', dd.maximum, Math.max, { step: 1e-7 }],
  ['minimum', dd.minimum, Math.min, { step: 1e-7 }],
];

describe.each(binaryCases)('%s', (name, fn, f, range) => {
  test.each(broadcastPairs)('shapes %j and %j', (sa, sb) => {
    gradcheck(
      (a, b) => fn(a, b),
      (a, b) => ref.binary(a, b, f),
      [
        { shape: sa, lo: range.lo, hi: range.hi },
        { shape: sb, lo: range.lo, hi: range.hi, awayFromZero: range.away },
      ],
      { seed: sa.length * 10 + sb.length, step: range.step },
    );
  });
});

test('maximum and minimum split the gradient evenly on ties, as PyTorch does', () => {
  const a = dd.tensor([1, 2, 3], { requiresGrad: true });
  const b = dd.tensor([1, 5, 0], { requiresGrad: true });
  dd.maximum(a, b).sum().backward();
  expect(Array.from(a.grad!.data)).toEqual([0.5, 0, 1]);
  expect(Array.from(b.grad!.data)).toEqual([0.5, 1, 0]);
});

const scalarCases: Array<[string, (x: dd.Tensor) => dd.Tensor, (v: number) => number, { lo?: number; away?: number }]> = [
  ['x + 2.5', (x) => dd.add(x, 2.5), (v) => v + 2.5, {}],
  ['2.5 + x', (x) => dd.add(2.5, x), (v) => v + 2.5, {}],
  ['x - 1.5', (x) => x.sub(1.5), (v) => v - 1.5, {}],
  ['1.5 - x', (x) => dd.sub(1.5, x), (v) => 1.5 - v, {}],
  ['x * -3', (x) => x.mul(-3), (v) => v * -3, {}],
  ['-3 * x', (x) => dd.mul(-3, x), (v) => v * -3, {}],
  ['x / 4', (x) => x.div(4), (v) => v / 4, {}],
  ['2 / x', (x) => dd.div(2, x), (v) => 2 / v, { away: 0.5 }],
  ['x ** 3', (x) => x.pow(3), (v) => v ** 3, {}],
  ['x ** 0.5', (x) => x.pow(0.5), (v) => Math.sqrt(v), { lo: 0.2 }],
  ['x ** 0', (x) => x.pow(0), () => 1, {}],
  ['x ** 1', (x) => x.pow(1), (v) => v, {}],
  ['2 ** x', (x) => dd.pow(2, x), (v) => 2 ** v, {}],
  ['maximum(x, 0.2)', (x) => x.maximum(0.2), (v) => Math.max(v, 0.2), {}],
  ['minimum(0.2, x)', (x) => dd.minimum(0.2, x), (v) => Math.min(v, 0.2), {}],
];

test.each(scalarCases)('%s', (_, fn, f, range) => {
  gradcheck(fn, (x) => ref.map(x, f), [{ shape: [3, 5], lo: range.lo ?? -1, hi: 2, awayFromZero: range.away }]);
});

const unaryCases: Array<[string, (x: dd.Tensor) => dd.Tensor, (v: number) => number, { lo?: number; hi?: number; away?: number }]> = [
  ['neg', dd.neg, (v) => -v, {}],
  ['abs', dd.abs, Math.abs, { away: 0.05 }],
  ['exp', dd.exp, Math.exp, { lo: -3, hi: 3 }],
  ['log', dd.log, Math.log, { lo: 0.1, hi: 5 }],
  ['sqrt', dd.sqrt, Math.sqrt, { lo: 0.1, hi: 5 }],
  ['square', dd.square, (v) => v * v, {}],
  ['reciprocal', dd.reciprocal, (v) => 1 / v, { away: 0.3 }],
  ['sign', dd.sign, Math.sign, { away: 0.05 }],
  ['clamp(-0.5, 0.6)', (x) => dd.clamp(x, -0.5, 0.6), (v) => Math.min(0.6, Math.max(-0.5, v)), {}],
  ['clamp(min 0.1)', (x) => x.clamp(0.1), (v) => Math.max(0.1, v), {}],
  ['clamp(max -0.1)', (x) => x.clamp(null, -0.1), (v) => Math.min(-0.1, v), {}],
  ['relu', dd.relu, (v) => Math.max(0, v), { away: 0.05 }],
  ['sigmoid', dd.sigmoid, ref.sigmoid, { lo: -6, hi: 6 }],
  ['logistic', dd.logistic, ref.sigmoid, {}],
  ['tanh', dd.tanh, Math.tanh, { lo: -3, hi: 3 }],
  ['leakyRelu', (x) => dd.leakyRelu(x), (v) => (v > 0 ? v : 0.01 * v), { away: 0.05 }],
  ['leakyRelu(0.2)', (x) => x.leakyRelu(0.2), (v) => (v > 0 ? v : 0.2 * v), { away: 0.05 }],
  ['elu', (x) => dd.elu(x), (v) => (v > 0 ? v : Math.expm1(v)), { lo: -3, hi: 3, away: 0.05 }],
  ['elu(0.5)', (x) => x.elu(0.5), (v) => (v > 0 ? v : 0.5 * Math.expm1(v)), { lo: -3, hi: 3, away: 0.05 }],
  ['gelu', dd.gelu, ref.gelu, { lo: -3, hi: 3 }],
  ['silu', dd.silu, (v) => v * ref.sigmoid(v), { lo: -4, hi: 4 }],
  ['softplus', (x) => dd.softplus(x), ref.softplus, { lo: -5, hi: 5 }],
  ['softplus(beta 2)', (x) => x.softplus(2), (v) => ref.softplus(2 * v) / 2, { lo: -5, hi: 5 }],
  ['relu6', dd.relu6, (v) => Math.min(6, Math.max(0, v)), { lo: -2, hi: 8, away: 0.05 }],
  ['hardtanh', dd.hardtanh, (v) => Math.min(1, Math.max(-1, v)), { lo: -2, hi: 2 }],
  ['selu', dd.selu, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)), { away: 0.05 }],
  ['mish', dd.mish, (v) => v * Math.tanh(ref.softplus(v)), { lo: -3, hi: 3 }],
];

test.each(unaryCases)('%s', (_, fn, f, range) => {
  gradcheck(fn, (x) => ref.map(x, f), [{ shape: [4, 7], lo: range.lo, hi: range.hi, awayFromZero: range.away }]);
});

test('activations stay finite for large inputs', () => {
  const x = dd.tensor([-1e4, -100, -30, 30, 100, 1e4], { requiresGrad: true });
  for (const f of [dd.sigmoid, dd.tanh, dd.softplus, dd.silu, dd.gelu, dd.elu, dd.mish]) {
    const y = f(x);
    expect(y.data.every(Number.isFinite)).toBe(true);
    y.sum().backward();
    expect(x.grad!.data.every(Number.isFinite)).toBe(true);
    x.grad = null;
  }
});

describe('errors', () => {
  test('shapes that do not broadcast name both shapes and the op', () => {
    expect(() => dd.add(dd.zeros([2, 3]), dd.zeros([4, 3]))).toThrow('add: shapes [2,3] and [4,3] cannot be broadcast together');
    expect(() => dd.mul(dd.zeros([2]), dd.zeros([3]))).toThrow(RangeError);
  });
  test('non-finite scalars are refused', () => {
    expect(() => dd.mul(dd.ones([2]), NaN)).toThrow(RangeError);
    expect(() => dd.add(dd.ones([2]), Infinity)).toThrow(/add: scalar must be finite/);
    expect(() => dd.div(dd.ones([2]), 0)).toThrow(/division by the number 0/);
    expect(() => dd.leakyRelu(dd.ones([2]), NaN)).toThrow(RangeError);
    expect(() => dd.clamp(dd.ones([2]), NaN, 1)).toThrow(RangeError);
    expect(() => dd.clamp(dd.ones([2]), 2, 1)).toThrow(/min \(2\) is greater than max \(1\)/);
  });
  test('wrong types are TypeErrors', () => {
    expect(() => dd.add(1, 2 as unknown as dd.Tensor)).toThrow(TypeError);
    expect(() => dd.add(dd.ones([2]), '1' as unknown as number)).toThrow(TypeError);
    expect(() => dd.exp(dd.tensor([1, 2], { dtype: 'int32' }))).toThrow(/exp: input must be float32, got int32/);
  });
});
