/** Shape and data-movement ops: values, memory sharing, int32 data, and errors. */
import * as dd from '../../ts';

const x = () => dd.arange(24).reshape([2, 3, 4]);

test('reshape, view, flatten, squeeze and unsqueeze share memory', () => {
  const a = x();
  const r = a.reshape([4, -1]);
  expect(r.shape).toEqual([4, 6]);
  expect(r.data).toBe(a.data);
  expect(a.view([-1]).shape).toEqual([24]);
  expect(a.flatten(1).shape).toEqual([2, 12]);
  expect(a.flatten(0, 1).shape).toEqual([6, 4]);
  expect(dd.zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
  expect(dd.zeros([1, 3, 1]).squeeze(-1).shape).toEqual([1, 3]);
  expect(dd.zeros([1, 3, 1]).squeeze([0, 1]).shape).toEqual([3, 1]);
  expect(dd.zeros([3]).unsqueeze(0).unsqueeze(-1).shape).toEqual([1, 3, 1]);
  expect(dd.tensor(5).flatten().shape).toEqual([1]);
});

test('reshape errors', () => {
  expect(() => x().reshape([5, 5])).toThrow('reshape: cannot reshape a tensor of shape [2,3,4] (24 elements) into [5,5]');
  expect(() => x().reshape([-1, -1])).toThrow(/only one dimension can be -1/);
  expect(() => x().reshape([7, -1])).toThrow(RangeError);
  expect(() => x().flatten(2, 1)).toThrow(RangeError);
  expect(() => x().unsqueeze(4)).toThrow(RangeError);
});

test('permute, transpose, t and movedim', () => {
  const p = x().permute([2, 0, 1]);
  expect(p.shape).toEqual([4, 2, 3]);
  expect(p.toArray()).toEqual([0, 1, 2, 3].map((k) => [0, 1].map((i) => [0, 1, 2].map((j) => i * 12 + j * 4 + k))));
  expect(x().transpose(0, -1).shape).toEqual([4, 3, 2]);
  expect(dd.tensor([[1, 2, 3]]).t().toArray()).toEqual([[1], [2], [3]]);
  expect(x().movedim(2, 0).toArray()).toEqual(p.toArray());
  expect(() => x().permute([0, 1])).toThrow('permute: got 2 axes [0,1] for a tensor of shape [2,3,4] (rank 3)');
  expect(() => x().permute([0, 1, 1])).toThrow(/repeat an axis/);
  expect(() => x().t()).toThrow(/at most 2 dimensions/);
});

test('concat, stack, narrow and slice', () => {
  const a = dd.tensor([[1, 2], [3, 4]]);
  const b = dd.tensor([[5, 6]]);
  expect(dd.concat([a, b]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  expect(dd.cat([a, a], -1).toArray()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
  expect(dd.stack([a, a], 1).shape).toEqual([2, 2, 2]);
  expect(dd.stack([dd.tensor(1), dd.tensor(2)]).toArray()).toEqual([1, 2]);
  expect(() => dd.concat([a, dd.zeros([2, 3])])).toThrow('concat: tensor 1 has shape [2,3] but tensor 0 has [2,2]; all sizes except along axis 0 must match');
  expect(() => dd.stack([a, b])).toThrow(/stack: tensor 1 has shape \[1,2\]/);
  expect(() => dd.concat([])).toThrow(TypeError);
  expect(() => dd.concat([a, dd.zeros([1, 2], { dtype: 'int32' })])).toThrow(/tensor 1 is int32 but tensor 0 is float32/);
  const r = dd.arange(10);
  expect(r.narrow(0, 2, 3).toArray()).toEqual([2, 3, 4]);
  expect(r.narrow(0, -3, 2).toArray()).toEqual([7, 8]);
  expect(r.slice(0, 1, -1, 3).toArray()).toEqual([1, 4, 7]);
  expect(r.slice(0, -100, 100).numel).toBe(10);
  expect(r.slice(0, 5, 2).numel).toBe(0);
  expect(x().slice(1, 1).shape).toEqual([2, 2, 4]);
  expect(() => r.narrow(0, 8, 5)).toThrow('narrow: start 8 + length 5 exceeds size 10 of axis 0 (shape [10])');
  expect(() => r.slice(0, 0, 5, 0)).toThrow(RangeError);
});

test('indexSelect and embedding', () => {
  const table = dd.tensor([[0, 1], [10, 11], [20, 21]]);
  expect(table.indexSelect(0, dd.tensor([2, 2, 0], { dtype: 'int32' })).toArray()).toEqual([[20, 21], [20, 21], [0, 1]]);
  expect(dd.indexSelect(table, 1, dd.tensor([1], { dtype: 'int32' })).toArray()).toEqual([[1], [11], [21]]);
  const e = dd.nn.functional.embedding(dd.tensor([[0, 2], [1, 1]], { dtype: 'int32' }), table);
  expect(e.shape).toEqual([2, 2, 2]);
  expect(e.toArray()).toEqual([[[0, 1], [20, 21]], [[10, 11], [10, 11]]]);
  expect(() => table.indexSelect(0, dd.tensor([0, 3], { dtype: 'int32' }))).toThrow(/index 3 at position 1 is out of range for 3 rows/);
  expect(() => table.indexSelect(0, dd.tensor([0]))).toThrow('indexSelect: indices must be int32, got float32 (shape [1]) (create it with { dtype: \'int32\' })');
});

test('int32 tensors move through layout ops bit-exactly (including NaN-like bit patterns)', () => {
  const v = dd.tensor(new Int32Array([-1, 2147483647, -2147483648, 0x7fc00001, 5, -4194304]), [2, 3]);
  expect(v.t().toArray()).toEqual([[-1, 0x7fc00001], [2147483647, 5], [-2147483648, -4194304]]);
  expect(dd.concat([v, v], 1).int32Data).toEqual(new Int32Array([-1, 2147483647, -2147483648, -1, 2147483647, -2147483648, 0x7fc00001, 5, -4194304, 0x7fc00001, 5, -4194304]));
  expect(v.slice(1, 1).toArray()).toEqual([[2147483647, -2147483648], [5, -4194304]]);
  expect(v.indexSelect(0, dd.tensor([1], { dtype: 'int32' })).dtype).toBe('int32');
  expect(v.clone().int32Data).toEqual(v.int32Data);
  expect(v.reshape([3, 2]).dtype).toBe('int32');
});

test('expand and clone', () => {
  expect(dd.tensor([[1], [2]]).expand([2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
  expect(dd.tensor([1, 2]).expand([2, -1]).toArray()).toEqual([[1, 2], [1, 2]]);
  expect(() => dd.tensor([1, 2]).expand([3])).toThrow(RangeError);
  const a = dd.tensor([1, 2]);
  const c = a.clone();
  expect(c.data).not.toBe(a.data);
  expect(c.toArray()).toEqual([1, 2]);
});

test('copy_, fill_ and zero_', () => {
  const a = dd.zeros([2]);
  a.copy_(dd.tensor([3, 4]));
  expect(a.toArray()).toEqual([3, 4]);
  expect(a.fill_(2).toArray()).toEqual([2, 2]);
  expect(a.zero_().toArray()).toEqual([0, 0]);
  expect(() => a.copy_(dd.zeros([3]))).toThrow(/copy_: source of shape \[3\] does not match destination of shape \[2\]/);
  const p = dd.zeros([2], { requiresGrad: true });
  expect(() => p.fill_(1)).toThrow(/noGrad/);
  dd.noGrad(() => p.fill_(1));
  expect(p.toArray()).toEqual([1, 1]);
});
