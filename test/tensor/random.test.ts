/** Seeded random tensors: Philox known answers, reproducibility and distributions. */
import * as dd from '../../ts';
import { native } from '../../ts/native';
import { philoxBlock } from '../../ts/tensor/philox';

test('Philox4x32-10 matches the Random123 known-answer vectors', () => {
  const out = [0, 0, 0, 0];
  philoxBlock(0, 0, 0, 0, 0, 0, out);
  expect(out).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  philoxBlock(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
  expect(out).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
  philoxBlock(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
  expect(out).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
});

test('the native word kernel gives the blocks the JavaScript Philox gives, from any start, and checks its arguments', () => {
  const key: [number, number] = [0x9e3779b9, 4321];
  for (const first of [0, 7, 2 ** 32 - 2, 2 ** 40 + 5, 2 ** 53 - 300]) {
    const blocks = 300;
    const got = new Uint32Array(4 * blocks);
    native().philoxWords(got, key[0], key[1], first);
    const want = new Uint32Array(4 * blocks);
    for (let b = 0; b < blocks; b++) philoxBlock((first + b) % 2 ** 32, Math.floor((first + b) / 2 ** 32), 0, 0, key[0], key[1], want, 4 * b);
    expect(got).toEqual(want);
  }
  expect(() => native().philoxWords(new Uint32Array(6), 1, 2, 0)).toThrow(/philoxWords: argument 'out' must hold whole blocks/);
  expect(() => native().philoxWords(new Uint32Array(8), 1, 2, 2 ** 53 - 1)).toThrow(/blocks past 2\^53/);
  expect(() => native().philoxWords(new Float32Array(8) as never, 1, 2, 0)).toThrow(TypeError);
  expect(() => native().philoxWords(new Uint32Array(8), -1, 2, 0)).toThrow(RangeError);
});

test('a large draw (native words) continues the stream exactly as small draws (JavaScript words) do', () => {
  // 2000 values need 500 blocks (native); drawing them 1 block at a time stays in JavaScript.
  dd.manualSeed(77);
  const big = dd.rand([2000]).toArray() as number[];
  dd.manualSeed(77);
  const small: number[] = [];
  for (let i = 0; i < 500; i++) small.push(...(dd.rand([4]).toArray() as number[]));
  expect(big).toEqual(small);
});

test('manualSeed makes every generator repeat', () => {
  const draw = () => [dd.rand([5]).toArray(), dd.randn([3]).toArray(), dd.randint(0, 100, [4]).toArray(), dd.randperm(6).toArray()];
  dd.manualSeed(123);
  const a = draw();
  dd.manualSeed(123);
  expect(draw()).toEqual(a);
  dd.manualSeed(124);
  expect(draw()).not.toEqual(a);
});

test('getRngState and setRngState resume the stream', () => {
  dd.manualSeed(5);
  dd.rand([10]);
  const state = dd.getRngState();
  const next = dd.randn([4]).toArray();
  dd.rand([3]);
  dd.setRngState(state);
  expect(dd.randn([4]).toArray()).toEqual(next);
});

test('distributions have the right range and moments', () => {
  dd.manualSeed(9);
  const u = dd.rand([20000]).data;
  expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...u)).toBeLessThan(1);
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  expect(mean(u)).toBeCloseTo(0.5, 1);
  const z = dd.randn([20001]).data;
  const m = mean(z);
  const v = mean(Array.from(z, (x) => (x - m) ** 2));
  expect(Math.abs(m)).toBeLessThan(0.03);
  expect(Math.abs(v - 1)).toBeLessThan(0.04);
  const k = dd.randint(-3, 4, [5000]);
  expect(k.dtype).toBe('int32');
  const seen = new Set(k.int32Data);
  expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  const p = Array.from(dd.randperm(50).int32Data).sort((a, b) => a - b);
  expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect(dd.randLike(dd.zeros([2, 3])).shape).toEqual([2, 3]);
  expect(dd.randn([2], { requiresGrad: true }).requiresGrad).toBe(true);
});

test('bad arguments', () => {
  expect(() => dd.manualSeed(-1)).toThrow(RangeError);
  expect(() => dd.manualSeed(1.5)).toThrow(RangeError);
  expect(() => dd.randint(5, 5, [2])).toThrow('randint: high (5) must be greater than low (5)');
  expect(() => dd.rand([2], { dtype: 'int32' })).toThrow(TypeError);
  expect(() => dd.randperm(-1)).toThrow(RangeError);
});
