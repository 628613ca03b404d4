/**
 * dd.memory as users call it: the functions, their argument errors, the
 * limit from DENDRITE_CACHE_LIMIT, the older names (memoryStats, emptyCache,
 * setPoolLimit), the collector and the native weak references.
 */
import * as vm from 'vm';
import * as dd from '../../ts';
import { defaultCacheLimit, initialCacheLimit, parseByteSize, DEFAULT_LIMIT_CAP } from '../../ts/memory/cache-limit';
import { collector } from '../../ts/memory/collector';
import { native } from '../../ts/native';

const MiB = 1024 * 1024;

test('dd.memory: stats, setCacheLimit, cacheLimit, clear', () => {
  const limit = dd.memory.cacheLimit();
  try {
    dd.memory.setCacheLimit(8 * MiB);
    expect(dd.memory.cacheLimit()).toBe(8 * MiB);
    expect(dd.memory.stats().limitBytes).toBe(8 * MiB);
    // A gradient temporary returned by backward lands in the cache; clear() empties it.
    const x = dd.randn([1000], { requiresGrad: true });
    x.mul(2).sum().backward();
    expect(dd.memory.stats().cachedBytes).toBeGreaterThan(0);
    dd.memory.clear();
    expect(dd.memory.stats()).toMatchObject({ cachedBytes: 0, cachedBuffers: 0, watchedBytes: 0, watchedBuffers: 0 });
  } finally {
    dd.memory.setCacheLimit(limit);
  }
});

test('setCacheLimit checks its argument and names it', () => {
  expect(() => dd.memory.setCacheLimit(-1)).toThrow(RangeError);
  expect(() => dd.memory.setCacheLimit(-1)).toThrow("setCacheLimit: argument 'bytes' must be a non-negative integer number of bytes (0 turns the cache off), got -1");
  expect(() => dd.memory.setCacheLimit(0.5)).toThrow(RangeError);
  expect(() => dd.memory.setCacheLimit(Number.MAX_VALUE)).toThrow(RangeError);
  expect(() => dd.memory.setCacheLimit('1' as unknown as number)).toThrow(TypeError);
  expect(() => dd.memory.setCacheLimit(undefined as unknown as number)).toThrow(/argument 'bytes' must be a number/);
});

test('the older names are the same cache', () => {
  const limit = dd.memory.cacheLimit();
  try {
    dd.setPoolLimit(4 * MiB);
    expect(dd.memory.cacheLimit()).toBe(4 * MiB);
    const x = dd.randn([1000], { requiresGrad: true });
    x.mul(2).sum().backward();
    const s = dd.memoryStats();
    expect(s.pooledBytes).toBe(s.cachedBytes);
    expect(s.pooledBuffers).toBe(s.cachedBuffers);
    expect(s.pooledBytes).toBeGreaterThan(0);
    dd.emptyCache();
    expect(dd.memory.stats().cachedBytes).toBe(0);
    expect(() => dd.setPoolLimit(-1)).toThrow(/setPoolLimit: argument 'bytes'/);
  } finally {
    dd.memory.setCacheLimit(limit);
  }
});

test('the limit: DENDRITE_CACHE_LIMIT in bytes or with k, m, g; otherwise a quarter of memory, at most 1 GiB', () => {
  expect(initialCacheLimit({ DENDRITE_CACHE_LIMIT: '0' })).toBe(0);
  expect(initialCacheLimit({ DENDRITE_CACHE_LIMIT: '1048576' })).toBe(MiB);
  expect(initialCacheLimit({ DENDRITE_CACHE_LIMIT: '512m' })).toBe(512 * MiB);
  expect(initialCacheLimit({ DENDRITE_CACHE_LIMIT: '2G' })).toBe(2048 * MiB);
  expect(initialCacheLimit({ DENDRITE_CACHE_LIMIT: '64KiB' })).toBe(64 * 1024);
  expect(initialCacheLimit({ DENDRITE_CACHE_LIMIT: '' })).toBe(defaultCacheLimit());
  expect(initialCacheLimit({})).toBe(defaultCacheLimit());
  expect(() => initialCacheLimit({ DENDRITE_CACHE_LIMIT: 'lots' })).toThrow(RangeError);
  expect(() => initialCacheLimit({ DENDRITE_CACHE_LIMIT: '-1' })).toThrow(/DENDRITE_CACHE_LIMIT must be a number of bytes/);
  expect(() => parseByteSize('99999999999g', 'x')).toThrow(/x is too large/);
  expect(defaultCacheLimit()).toBeGreaterThan(0);
  expect(defaultCacheLimit()).toBeLessThanOrEqual(DEFAULT_LIMIT_CAP);
});

test('the collector: off with DENDRITE_CACHE_GC=0; otherwise it runs without leaving a global gc in new contexts', () => {
  expect(collector({ DENDRITE_CACHE_GC: '0' })).toBeNull();
  const collect = collector({});
  expect(collect).not.toBeNull();
  expect(() => collect!('minor')).not.toThrow();
  expect(() => collect!('major')).not.toThrow();
  expect(vm.runInNewContext('typeof gc')).toBe('undefined');
});

test('the weak-reference bindings check their arguments', () => {
  const n = native();
  expect(() => n.memoryWatch({} as ArrayBufferView)).toThrow(/memoryWatch: argument 'array' must be a typed array/);
  expect(() => n.memoryForget(-1)).toThrow(RangeError);
  expect(() => n.memoryForget(2 ** 32 - 1)).toThrow(/memoryForget: slot 4294967295 is not being watched/);
  expect(() => n.memorySweep(new Int32Array([2 ** 31 - 1]), 1, new Uint8Array(1))).toThrow(/memorySweep: slot 2147483647 is not being watched/);
  expect(() => n.memorySweep(new Int32Array(1), 2, new Uint8Array(2))).toThrow(/memorySweep: argument 'slots' needs at least 2/);
  expect(() => n.memorySweep(new Int32Array(2), 2, new Uint8Array(1))).toThrow(RangeError);
  // A live array is reported alive; a slot listed twice is swept once.
  const a = new Float32Array(4);
  const slot = n.memoryWatch(a);
  const dead = new Uint8Array(2);
  expect(n.memorySweep(new Int32Array([slot, slot]), 2, dead)).toBe(0);
  expect(Array.from(dead)).toEqual([0, 0]);
  n.memoryForget(slot);
  expect(() => n.memoryForget(slot)).toThrow(/not being watched/);
  expect(a.length).toBe(4);
});
