/**
 * The memory cache's bookkeeping, with collections the test decides (a fake
 * watcher): what is reused and when, what never is (live, exposed,
 * transferred, shared memory), zeroing, the limit, clear(), the counters.
 */
import { MemoryCache, WATCH_MIN_BYTES } from '../../ts/memory/cache';
import { FakeWatcher } from './support/fake-watcher';

const BIG = WATCH_MIN_BYTES / 4; // float32 elements of the smallest watched buffer
const MiB = 1024 * 1024;

function cache(options: { limit?: number } = {}) {
  const watcher = new FakeWatcher();
  const c = new MemoryCache({ limit: options.limit ?? 64 * MiB, watcher, collect: null, poison: false });
  return { c, watcher };
}

test('a returned buffer is handed out again, and the counters say so', () => {
  const { c } = cache();
  const a = c.takeFloat32(100);
  c.give(a);
  expect(c.snapshot()).toMatchObject({ cachedBytes: 400, cachedBuffers: 1, returnedBuffers: 1 });
  expect(c.takeFloat32(100)).toBe(a);
  expect(c.takeFloat32(101)).not.toBe(a);
  expect(c.snapshot()).toMatchObject({ hits: 1, misses: 2, reusedBytes: 400, freshBytes: 804, cachedBytes: 0 });
  const i = c.takeInt32(50);
  c.give(i);
  expect(c.takeInt32(50)).toBe(i);
  const u = c.takeUint8(64);
  c.give(u);
  expect(c.takeUint8(64)).toBe(u);
});

test('a large buffer found dead after a collection is reused under a new array; the counters say so', () => {
  const { c, watcher } = cache();
  const a = c.takeFloat32(BIG);
  const memory = a.buffer;
  expect(c.snapshot()).toMatchObject({ watchedBuffers: 1, watchedBytes: WATCH_MIN_BYTES });
  watcher.collect(a);
  const b = c.takeFloat32(BIG);
  expect(b).not.toBe(a);
  expect(b.buffer).toBe(memory);
  expect(c.snapshot()).toMatchObject({ hits: 1, misses: 1, reclaimedBuffers: 1, reusedBytes: WATCH_MIN_BYTES, estimatedFaultsAvoided: WATCH_MIN_BYTES / 4096 });
  // The new array is watched in its turn.
  expect(c.snapshot().watchedBuffers).toBe(1);
});

test('a live buffer is never handed out again', () => {
  const { c, watcher } = cache();
  const live = c.takeFloat32(BIG);
  watcher.collect(); // a collection that does not find it dead
  const other = c.takeFloat32(BIG);
  expect(other.buffer).not.toBe(live.buffer);
  expect(c.snapshot()).toMatchObject({ hits: 0, misses: 2, watchedBuffers: 2 });
});

test('no collection, no reuse: the watched are swept only after one ran', () => {
  const { c, watcher } = cache();
  const a = c.takeFloat32(BIG);
  c.takeFloat32(BIG); // the first look plants the canary
  const sweeps = jest.spyOn(watcher, 'sweep');
  c.takeFloat32(BIG);
  // One look at the canary per request; the watched themselves are not swept while it lives.
  expect(sweeps.mock.calls.map((call) => call[1])).toEqual([1]);
  watcher.collect(a);
  expect(c.takeFloat32(BIG).buffer).toBe(a.buffer);
});

test('an exposed buffer (its .data handed to user code) is never reused, even once its array is dead', () => {
  const { c, watcher } = cache();
  const a = c.takeFloat32(BIG);
  c.expose(a);
  expect(c.snapshot().watchedBuffers).toBe(0);
  watcher.collect(a);
  expect(c.takeFloat32(BIG).buffer).not.toBe(a.buffer);
  expect(c.snapshot().reclaimedBuffers).toBe(0);
});

test('a transferred (detached) buffer is dropped, never reused', () => {
  const { c, watcher } = cache();
  const a = c.takeFloat32(BIG);
  structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
  expect(a.buffer.byteLength).toBe(0);
  watcher.collect(a);
  const b = c.takeFloat32(BIG);
  expect(b.length).toBe(BIG);
  expect(c.snapshot()).toMatchObject({ detachedBuffers: 1, reclaimedBuffers: 0, hits: 0 });
  // A detached array given back by its owner is ignored too.
  c.give(a);
  expect(c.snapshot().cachedBuffers).toBe(0);
});

test('memory shared with other threads and views into larger buffers are never taken', () => {
  const { c } = cache();
  c.give(new Float32Array(new SharedArrayBuffer(4 * BIG)));
  c.give(new Float32Array(100).subarray(10, 90));
  expect(c.snapshot()).toMatchObject({ cachedBuffers: 0, returnedBuffers: 0 });
});

test('zero-filled requests get zeros from a reused buffer', () => {
  const { c, watcher } = cache();
  const small = c.takeFloat32(300);
  small.fill(7);
  c.give(small);
  const z = c.takeZeroedFloat32(300);
  expect(z).toBe(small);
  expect(z.every((v) => v === 0)).toBe(true);

  const big = c.takeInt32(BIG);
  big.fill(-3);
  watcher.collect(big);
  const zi = c.takeZeroedInt32(BIG);
  expect(zi.buffer).toBe(big.buffer);
  expect(zi.every((v) => v === 0)).toBe(true);
  expect(c.snapshot().hits).toBe(2);
});

test('new buffers own their whole ArrayBuffer, of exactly their size, and zero-filled requests get zeros from fresh memory too', () => {
  const { c } = cache();
  // Around Node's 4 KiB pool threshold, and larger: never a slice of a shared pool.
  for (const n of [1, 2, 1023, 1024, 1025, 2048, 100003]) {
    for (const [b, bytesPer] of [[c.takeFloat32(n), 4], [c.takeInt32(n), 4], [c.takeUint8(n), 1]] as const) {
      expect(b.length).toBe(n);
      expect(b.byteOffset).toBe(0);
      expect(b.buffer.byteLength).toBe(n * bytesPer);
      b.fill(9); // dirty the memory: malloc may hand it out again
    }
  }
  for (const n of [1, 1025, 100003]) {
    expect(c.takeZeroedFloat32(n).every((v) => v === 0)).toBe(true);
    expect(c.takeZeroedInt32(n).every((v) => v === 0)).toBe(true);
  }
  const empty = c.takeFloat32(0);
  expect(empty.length).toBe(0);
});

test('what is held plus what is watched never exceeds the limit', () => {
  const limit = 3 * WATCH_MIN_BYTES + 1000;
  const { c, watcher } = cache({ limit });
  const within = () => {
    const s = c.snapshot();
    expect(s.cachedBytes + s.watchedBytes).toBeLessThanOrEqual(limit);
  };
  const arrays = Array.from({ length: 5 }, () => c.takeFloat32(BIG));
  within();
  expect(c.snapshot().watchedBuffers).toBe(3);
  watcher.collect(...arrays);
  c.takeFloat32(BIG);
  within();
  for (let i = 0; i < 10; i++) c.give(new Float32Array(100 + i));
  within();
  expect(c.snapshot().evictedBytes).toBeGreaterThan(0);
  // A buffer larger than the limit is neither watched nor kept.
  c.give(c.takeFloat32(limit));
  within();
});

test('a smaller limit lets go of everything; limit 0 turns the cache off', () => {
  const { c } = cache();
  const a = c.takeFloat32(BIG);
  c.give(a);
  c.takeFloat32(BIG);
  c.setLimit(1000);
  expect(c.snapshot()).toMatchObject({ cachedBytes: 0, watchedBytes: 0, limitBytes: 1000 });
  c.setLimit(0);
  const b = c.takeFloat32(10);
  c.give(b);
  expect(c.takeFloat32(10)).not.toBe(b);
  expect(c.snapshot()).toMatchObject({ cachedBuffers: 0, watchedBuffers: 0 });
});

test('clear() empties the cache and stops every watch', () => {
  const { c, watcher } = cache();
  const kept = [c.takeFloat32(BIG), c.takeUint8(WATCH_MIN_BYTES)];
  c.give(c.takeFloat32(BIG));
  c.give(c.takeInt32(64));
  c.takeFloat32(BIG); // plants the canary
  expect(watcher.watching).toBeGreaterThan(0);
  c.clear();
  expect(c.snapshot()).toMatchObject({ cachedBytes: 0, cachedBuffers: 0, watchedBytes: 0, watchedBuffers: 0 });
  expect(watcher.watching).toBe(0);
  watcher.collect(...kept);
  expect(c.takeFloat32(BIG).buffer).not.toBe(kept[0].buffer);
});

test('a buffer returned twice is an internal error, not silent sharing', () => {
  const { c } = cache();
  const small = c.takeFloat32(64);
  c.give(small);
  expect(() => c.give(small)).toThrow(/returned to the pool twice/);
  const big = c.takeFloat32(BIG);
  c.give(big);
  // Another array on the same memory is the same buffer.
  expect(() => c.give(new Float32Array(big.buffer))).toThrow(/returned to the pool twice/);
});

test('a returned buffer stops being watched, so its death does not bring it back a second time', () => {
  const { c, watcher } = cache();
  const a = c.takeFloat32(BIG);
  c.give(a);
  expect(c.snapshot()).toMatchObject({ watchedBuffers: 0, cachedBuffers: 1 });
  watcher.collect(a);
  const b = c.takeFloat32(BIG);
  const d = c.takeFloat32(BIG);
  expect(b).toBe(a);
  expect(d.buffer).not.toBe(a.buffer);
});

test('a large request with nothing found asks for a collection when the budget allows, and stops when they find nothing', () => {
  const kinds: string[] = [];
  const watcher = new FakeWatcher();
  let dropped: Float32Array[] = [];
  const collect = (kind: 'minor' | 'major') => {
    kinds.push(kind);
    watcher.collect(...dropped);
    dropped = [];
  };
  const c = new MemoryCache({ limit: 1024 * MiB, watcher, collect, poison: false });
  const n = (16 * MiB) / 4; // 16 MiB: its fresh pages would cost ~10 ms, more than a collection is reckoned at
  dropped.push(c.takeFloat32(n));
  c.takeFloat32(n);
  expect(kinds).toEqual(['minor']);
  expect(c.snapshot()).toMatchObject({ collections: 1, hits: 1, reclaimedBuffers: 1 });
  // Everything watched stays alive now: collections find nothing, and are asked for less and less often.
  const live: Float32Array[] = [];
  const asked = () => c.snapshot().collections;
  for (let i = 0; i < 20; i++) live.push(c.takeFloat32(n));
  const first = asked() - 1;
  for (let i = 0; i < 20; i++) live.push(c.takeFloat32(n));
  const second = asked() - 1 - first;
  expect(first).toBeGreaterThan(0);
  expect(second).toBeLessThan(first);
  expect(new Set(live.map((a) => a.buffer)).size).toBe(live.length);
});

test('limits are checked: a RangeError or TypeError naming the argument', () => {
  const { c } = cache();
  expect(() => c.setLimit(-1)).toThrow(RangeError);
  expect(() => c.setLimit(-1)).toThrow(/setCacheLimit: argument 'bytes' must be a non-negative integer/);
  expect(() => c.setLimit(1.5)).toThrow(RangeError);
  expect(() => c.setLimit(NaN)).toThrow(RangeError);
  expect(() => c.setLimit(Infinity)).toThrow(RangeError);
  expect(() => c.setLimit('1' as unknown as number)).toThrow(TypeError);
  expect(() => new MemoryCache({ limit: -5 })).toThrow(/argument 'bytes'/);
});
