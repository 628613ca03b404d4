/** matmul (all of PyTorch's operand cases) and linear: values and gradients. */
import * as dd from '../../ts';
import * as ref from './support/reference';
import { gradcheck } from './support/gradcheck';

const cases: Array<[number[], number[]]> = [
  [[5], [5]], // dot product
  [[3, 4], [4, 5]],
  [[1, 1], [1, 1]],
  [[7, 3], [3]], // matrix · vector
  [[3], [3, 6]], // vector · matrix
  [[2, 3, 4], [4, 5]], // batch folded into rows
  [[3, 4], [2, 4, 5]], // shared left matrix
  [[2, 3, 4], [2, 4, 5]],
  [[2, 1, 3, 4], [5, 4, 2]], // broadcast batch axes
  [[3], [2, 3, 4]],
  [[2, 3, 4], [4]],
  [[2, 0, 3], [3, 4]], // empty rows
  [[2, 3], [3, 0]],
  [[4, 0], [0, 3]], // empty inner dimension: zeros
];

test.each(cases)('matmul %j · %j', (sa, sb) => {
  gradcheck(dd.matmul, ref.matmul, [{ shape: sa }, { shape: sb }], { seed: sa.length * 7 + sb.length });
});

test('method form and transposed operands', () => {
  const a = dd.randn([3, 4]);
  const b = dd.randn([5, 4]);
  const c = a.matmul(b.t());
  const r = ref.matmul(new ref.R(Float64Array.from(a.data), [3, 4]), ref.permute(new ref.R(Float64Array.from(b.data), [5, 4]), [1, 0]));
  c.data.forEach((v, i) => expect(v).toBeCloseTo(r.data[i], 5));
});

const linearRef = (x: ref.R, w: ref.R, b?: ref.R) => {
  const y = ref.matmul(x, ref.permute(w, [1, 0]));
  return b ? ref.binary(y, b, (p, q) => p + q) : y;
};

test.each([
  [[4, 3], [5, 3]],
  [[2, 3, 3], [2, 3]],
  [[1, 7], [1, 7]],
  [[0, 3], [2, 3]],
])('linear %j with weight %j', (sx, sw) => {
  gradcheck((x, w, b) => dd.nn.functional.linear(x, w, b), linearRef, [{ shape: sx }, { shape: sw }, { shape: [sw[0]] }]);
  gradcheck((x, w) => dd.nn.functional.linear(x, w), (x, w) => linearRef(x, w), [{ shape: sx }, { shape: sw }]);
});

describe('errors', () => {
  test('name both shapes', () => {
    expect(() => dd.matmul(dd.zeros([2, 3]), dd.zeros([4, 5]))).toThrow('matmul: cannot multiply [2,3] by [4,5]');
    expect(() => dd.matmul(dd.zeros([2, 2, 3]), dd.zeros([3, 3, 1]))).toThrow('matmul: cannot multiply [2,2,3] by [3,3,1]');
    expect(() => dd.matmul(dd.zeros([]), dd.zeros([3]))).toThrow(/at least 1 dimension/);
    expect(() => dd.nn.functional.linear(dd.zeros([2, 3]), dd.zeros([4, 2]))).toThrow(/linear: input of shape \[2,3\] does not match weight of shape \[4,2\]/);
  });
  test('int32 operands are TypeErrors', () => {
    expect(() => dd.matmul(dd.zeros([2, 2], { dtype: 'int32' }), dd.zeros([2, 2]))).toThrow(TypeError);
  });
});
