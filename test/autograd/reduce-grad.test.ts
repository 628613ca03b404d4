/** Reductions over the whole tensor and along axes (keepDims, negative axes). */
import * as dd from '../../ts';
import * as ref from './support/reference';
import { gradcheck } from './support/gradcheck';

const axisCases: Array<[number[], number[] | undefined, boolean]> = [
  [[3, 4], undefined, false],
  [[3, 4], undefined, true],
  [[3, 4], [0], false],
  [[3, 4], [1], true],
  [[3, 4], [-1], false],
  [[2, 3, 4], [0, 2], false],
  [[2, 3, 4], [1, 2], true],
  [[2, 3, 4], [0, 1], false],
  [[2, 3, 4, 5], [-3, -1], true],
  [[5], [0], false],
  [[], undefined, false],
];

test.each(axisCases)('sum of %j over %j keepDims %s', (shape, axes, keep) => {
  gradcheck((x) => dd.sum(x, axes, keep), (x) => ref.reduce(x, axes, keep, ref.sumOf), [{ shape }]);
});

test.each(axisCases)('mean of %j over %j keepDims %s', (shape, axes, keep) => {
  gradcheck((x) => x.mean(axes, keep), (x) => ref.reduce(x, axes, keep, (v) => ref.sumOf(v) / v.length), [{ shape }]);
});

const extremumCases: Array<[number[], number | undefined, boolean]> = [
  [[3, 4], undefined, false],
  [[3, 4], 0, false],
  [[3, 4], 1, true],
  [[2, 3, 4], -2, false],
  [[2, 3, 4], 0, true],
  [[7], 0, false],
];

test.each(extremumCases)('max and min of %j along %s keepDims %s', (shape, axis, keep) => {
  const axes = axis === undefined ? undefined : [axis];
  gradcheck((x) => dd.max(x, axis, keep), (x) => ref.reduce(x, axes, keep, (v) => Math.max(...v)), [{ shape }]);
  gradcheck((x) => x.min(axis, keep), (x) => ref.reduce(x, axes, keep, (v) => Math.min(...v)), [{ shape }]);
});

test('argmax and argmin give int32 indices (first on ties)', () => {
  const x = dd.tensor([[1, 5, 5, 0], [7, -1, 3, 7]]);
  expect(x.argmax().dtype).toBe('int32');
  expect(x.argmax().item()).toBe(4);
  expect(x.argmin().item()).toBe(5);
  expect(x.argmax(1).toArray()).toEqual([1, 0]);
  expect(x.argmax(-1, true).toArray()).toEqual([[1], [0]]);
  expect(dd.argmin(x, 0).toArray()).toEqual([0, 1, 1, 0]);
  expect(x.max(1).toArray()).toEqual([5, 7]);
  expect(x.min().item()).toBe(-1);
});

test('max gives the gradient to the first maximal element', () => {
  const x = dd.tensor([[1, 5, 5], [2, 2, 0]], { requiresGrad: true });
  x.max(1).sum().backward();
  expect(x.grad!.toArray()).toEqual([[0, 1, 0], [1, 0, 0]]);
});

test('errors name the op and the axis', () => {
  const x = dd.zeros([2, 3]);
  expect(() => x.sum(2)).toThrow('sum: axis 2 is out of range (expected an axis in [-2, 1])');
  expect(() => x.sum([0, 0])).toThrow(/axis 0 is given twice/);
  expect(() => dd.max(dd.zeros([0, 3]), 0)).toThrow(/max: cannot reduce an empty axis/);
  expect(() => dd.mean(dd.zeros([0]))).toThrow(RangeError);
  expect(() => x.sum(1.5)).toThrow(TypeError);
  expect(dd.sum(dd.zeros([0, 3])).item()).toBe(0);
});
