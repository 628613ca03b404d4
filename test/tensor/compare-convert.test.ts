/** Comparisons (float32 0/1 masks, broadcasting, int32 operands) and dtype conversion. */
import * as dd from '../../ts';

test('comparisons give 0/1 masks and broadcast', () => {
  const a = dd.tensor([[1, 2, 3], [4, 5, 6]]);
  expect(a.gt(2.5).toArray()).toEqual([[0, 0, 1], [1, 1, 1]]);
  expect(a.eq(dd.tensor([1, 5, 0])).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  expect(dd.le(a, dd.tensor([[3], [4]])).toArray()).toEqual([[1, 1, 1], [1, 0, 0]]);
  expect(dd.ne(a, a).sum().item()).toBe(0);
  expect(dd.ge(a, 4).dtype).toBe('float32');
  expect(dd.lt(dd.tensor([NaN]), 1).item()).toBe(0);
});

test('accuracy from int32 predictions and labels', () => {
  const logits = dd.tensor([[0.1, 2], [3, 0], [0, 1]]);
  const labels = dd.tensor([1, 0, 0], { dtype: 'int32' });
  expect(logits.argmax(-1).eq(labels).mean().item()).toBeCloseTo(2 / 3, 6);
  expect(() => logits.argmax(-1).eq(dd.tensor([1, 0, 0]))).toThrow(/eq: input 1 must be int32, got float32/);
  expect(() => dd.eq(dd.zeros([2]), dd.zeros([3]))).toThrow('eq: shapes [2] and [3] cannot be broadcast together');
});

test('dtype conversion', () => {
  const f = dd.tensor([1.7, -1.7, 0]);
  expect(f.int().int32Data).toEqual(new Int32Array([1, -1, 0]));
  expect(f.to('float32')).toBe(f);
  const i = dd.tensor([3, -2], { dtype: 'int32' });
  expect(i.float().toArray()).toEqual([3, -2]);
  expect(i.float().dtype).toBe('float32');
  expect(() => dd.tensor([NaN]).int()).toThrow('to: element 0 (NaN) has no int32 value');
  expect(() => f.to('float64' as never)).toThrow(TypeError);
});
