/** The buffer pool: reuse by length, bounded size, and the guard against returning a buffer twice. */
import { BufferPool } from '../../ts/tensor/pool';

test('buffers are reused by length and counted', () => {
  const pool = new BufferPool();
  const a = pool.takeFloat32(100);
  pool.give(a);
  expect(pool.snapshot().pooledBytes).toBe(400);
  expect(pool.takeFloat32(100)).toBe(a);
  expect(pool.takeFloat32(101)).not.toBe(a);
  const s = pool.snapshot();
  expect(s.hits).toBe(1);
  expect(s.misses).toBe(2);
  expect(s.freshBytes).toBe(804);
  const i = pool.takeInt32(50);
  pool.give(i);
  expect(pool.takeInt32(50)).toBe(i);
  const u = pool.takeUint8(64);
  pool.give(u);
  expect(pool.takeUint8(64)).toBe(u);
});

test('a buffer returned twice is an internal error, not silent sharing', () => {
  const pool = new BufferPool();
  const a = pool.takeFloat32(64);
  pool.give(a);
  expect(() => pool.give(a)).toThrow(/returned to the pool twice/);
});

test('views into larger buffers are not pooled; the limit bounds the pool', () => {
  const pool = new BufferPool();
  pool.give(new Float32Array(100).subarray(10, 90));
  expect(pool.snapshot().pooledBuffers).toBe(0);
  pool.setLimit(1000);
  pool.give(new Float32Array(200));
  pool.give(new Float32Array(200));
  expect(pool.snapshot().pooledBuffers).toBe(1);
  pool.clear();
  expect(pool.snapshot().pooledBytes).toBe(0);
  expect(() => pool.setLimit(-1)).toThrow(RangeError);
});
