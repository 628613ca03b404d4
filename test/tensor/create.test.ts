/** Tensor creation, properties, conversion and printing. */
import { inspect } from 'util';
import * as dd from '../../ts';

describe('dd.tensor', () => {
  test('from nested arrays, numbers and typed arrays', () => {
    const t = dd.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.numel).toBe(6);
    expect(t.ndim).toBe(2);
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
    const s = dd.tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(2.5);
    const f = dd.tensor(new Float64Array([1.5, 2.5, 3.5, 4.5]), [2, 2]);
    expect(f.toArray()).toEqual([[1.5, 2.5], [3.5, 4.5]]);
    const i = dd.tensor(new Int32Array([3, 1, 2]));
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.int32Data)).toEqual([3, 1, 2]);
    expect(dd.tensor([[]]).shape).toEqual([1, 0]);
    expect(dd.tensor([true, false]).toArray()).toEqual([1, 0]);
  });

  test('from a Tensor: a detached copy', () => {
    const a = dd.tensor([[1, 2]], { requiresGrad: true });
    const b = dd.tensor(a);
    expect(b.requiresGrad).toBe(false);
    expect(b.toArray()).toEqual([[1, 2]]);
    expect(b.data).not.toBe(a.data);
    expect(dd.tensor(dd.tensor([1, 2], { dtype: 'int32' })).dtype).toBe('int32');
    expect(JSON.stringify(b)).toBe('[[1,2]]');
  });

  test('copies its data', () => {
    const src = new Float32Array([1, 2]);
    const t = dd.tensor(src);
    src[0] = 9;
    expect(t.data[0]).toBe(1);
    const shared = dd.asTensor(src, [2, 1]);
    src[1] = 7;
    expect(shared.toArray()).toEqual([[9], [7]]);
  });

  test('int32 from numbers checks the values', () => {
    expect(dd.tensor([1, 2], { dtype: 'int32' }).int32Data).toEqual(new Int32Array([1, 2]));
    expect(() => dd.tensor([1, 2.5], { dtype: 'int32' })).toThrow('tensor: element 1 (2.5) is not an int32 value; int32 tensors hold integers in [-2^31, 2^31)');
    expect(() => dd.tensor([2 ** 31], { dtype: 'int32' })).toThrow(RangeError);
    expect(() => dd.tensor(new Float32Array([NaN]), { dtype: 'int32' })).toThrow(RangeError);
  });

  test('shape checks name what is wrong', () => {
    expect(() => dd.tensor([[1, 2], [3]])).toThrow('tensor: nested arrays are not rectangular: data[1] should be an array of length 2 (shape [2,2]), got length 1');
    expect(() => dd.tensor([[1, 2], 3] as never)).toThrow(/data\[1\] should be an array of length 2/);
    expect(() => dd.tensor([1, 'a'] as never)).toThrow("tensor: data[1] must be a number, got \"a\"");
    expect(() => dd.tensor([1, 2, 3], [2, 2])).toThrow('tensor: data has 3 elements (shape [3]) but shape [2,2] needs 4');
    expect(() => dd.tensor([1, 2], [-1, -2])).toThrow(RangeError);
    expect(() => dd.tensor([1, 2], [2.5] as never)).toThrow(/shape\[0\] must be a non-negative integer/);
    expect(() => dd.tensor({} as never)).toThrow(TypeError);
    expect(() => dd.tensor([1], { dtype: 'float64' as never })).toThrow("tensor: dtype must be 'float32' or 'int32', got \"float64\"");
    expect(() => dd.tensor([1], { requiresGrad: 1 as never })).toThrow(TypeError);
  });
});

describe('constant and range creation', () => {
  test('zeros, ones, full and the *Like forms', () => {
    expect(dd.zeros([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(dd.ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(dd.full([2], 7, { dtype: 'int32' }).int32Data).toEqual(new Int32Array([7, 7]));
    const base = dd.tensor([[1, 2]], { dtype: 'int32' });
    expect(dd.zerosLike(base).dtype).toBe('int32');
    expect(dd.onesLike(dd.zeros([2, 3])).shape).toEqual([2, 3]);
    expect(dd.fullLike(dd.zeros([2]), 3).toArray()).toEqual([3, 3]);
    expect(dd.zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(dd.zeros([0, 5]).numel).toBe(0);
    expect(() => dd.zeros(3 as never)).toThrow(TypeError);
    expect(() => dd.full([2], 1.5, { dtype: 'int32' })).toThrow(RangeError);
  });

  test('arange, linspace and eye', () => {
    expect(dd.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(dd.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(dd.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(dd.arange(3, 1).numel).toBe(0);
    expect(dd.arange(4, undefined, undefined, { dtype: 'int32' }).dtype).toBe('int32');
    expect(() => dd.arange(0, 1, 0)).toThrow('arange: step must not be zero');
    expect(() => dd.arange(0, Infinity)).toThrow(RangeError);
    expect(dd.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(dd.eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  test('arange and linspace keep the element cap of every other creation path, before asking for memory', () => {
    // 4e9 elements: refused at once instead of allocating 16 GB; bigger ones no longer leak V8's raw typed-array error.
    expect(() => dd.arange(0, 4, 1e-9)).toThrow(/arange: \(end - start\) \/ step = 4000000000 elements, more than 2147483647/);
    expect(() => dd.arange(0, 1e300)).toThrow(RangeError);
    expect(() => dd.arange(1e300, 0, -1)).toThrow(/more than 2147483647/);
    expect(() => dd.linspace(0, 1, 2 ** 31)).toThrow(/linspace: shape \[2147483648\] has 2147483648 elements, more than 2147483647/);
    expect(() => dd.linspace(0, 1, 2 ** 40)).toThrow(RangeError);
  });
});

describe('properties and conversion', () => {
  test('item needs exactly one element', () => {
    expect(dd.tensor([[4]]).item()).toBe(4);
    expect(() => dd.tensor([1, 2]).item()).toThrow('item: only a tensor with one element converts to a number; this one has 2 (shape [2])');
  });
  test('size checks its axis', () => {
    expect(() => dd.zeros([2, 3]).size(2)).toThrow(RangeError);
  });
  test('data is float32 only; int32Data for labels', () => {
    expect(() => dd.tensor([1], { dtype: 'int32' }).data).toThrow(TypeError);
    expect(() => dd.tensor([1]).int32Data).toThrow(TypeError);
  });
  test('shape is read-only', () => {
    const t = dd.zeros([2, 3]);
    expect(() => (t.shape as number[]).push(1)).toThrow(/object is not extensible|read.only/);
  });
  test('toArray of a 0-d tensor is a number', () => {
    expect(dd.tensor(3).toArray()).toBe(3);
  });
});

describe('printing', () => {
  test('PyTorch-like layout with dtype and grad info', () => {
    expect(dd.tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(dd.tensor([0.5, -1.25]).toString()).toBe('tensor([ 0.5000, -1.2500])');
    expect(dd.tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=int32)');
    expect(dd.tensor(1.5, { requiresGrad: true }).toString()).toBe('tensor(1.5000, requiresGrad=true)');
    expect(dd.tensor([1e-6, 1]).toString()).toBe('tensor([1.0000e-6, 1.0000e+0])');
    expect(dd.tensor(new Float32Array([NaN, Infinity, 1]), [3]).toString()).toBe('tensor([nan, inf,  1.])');
    expect(dd.zeros([0, 2]).toString()).toBe('tensor([], size=[0, 2])');
    expect(inspect(dd.ones([2]))).toBe('tensor([1., 1.])');
  });
  test('large tensors are summarised', () => {
    const text = dd.arange(2000).reshape([40, 50]).toString();
    expect(text.split('\n')).toHaveLength(7);
    expect(text).toContain('...');
  });
});
