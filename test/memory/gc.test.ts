/**
 * The memory cache with the real addon and real garbage collections: the
 * memory of collected tensors is reused, and never while anything can still
 * reach it (live tensors and their views, tensors saved for backward, arrays
 * handed to user code by .data, buffers transferred to another thread).
 */
import * as v8 from 'v8';
import * as vm from 'vm';
import * as dd from '../../ts';
import type { Tensor } from '../../ts';

/** A full collection, from V8's gc extension (made for a private context; the flag is put back for the next test files). */
const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  try {
    return vm.runInNewContext('gc') as () => void;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
})();

// Large enough to be watched (2 MiB and up).
const N = 600_000;

const memoryOf = (t: Tensor) => t._typed().buffer;
const reclaimed = () => dd.memory.stats().reclaimedBuffers;

/**
 * Runs `make` in a frame of its own and returns what it returns: a tensor it
 * made and did not return is then unreachable (a test's own frame may keep
 * the last values it computed in registers, alive, until it returns).
 */
function apart<T>(make: () => T): T {
  return make();
}

beforeEach(() => dd.memory.clear());

test("the memory of collected tensors is reused, and never a live tensor's", () => {
  const live: Array<[Tensor, number]> = [];
  apart(() => {
    for (let i = 1; i <= 40; i++) {
      const t = dd.full([N], i);
      if (i % 3 === 0) live.push([t, i]);
    }
  });
  gc();
  const before = dd.memory.stats();
  const made = Array.from({ length: 30 }, () => dd.full([N], -1));
  const after = dd.memory.stats();
  expect(after.reclaimedBuffers).toBeGreaterThan(before.reclaimedBuffers);
  expect(after.hits).toBeGreaterThan(before.hits);
  const liveMemory = new Set(live.map(([t]) => memoryOf(t)));
  for (const t of made) expect(liveMemory.has(memoryOf(t))).toBe(false);
  expect(new Set(made.map(memoryOf)).size).toBe(made.length);
  for (const [t, i] of live) expect(t._typed().every((v) => v === i)).toBe(true);
});

test('views share a tensor\'s memory and keep it from reuse', () => {
  // Only the view survives `apart`: it alone keeps the memory.
  const { view, memory } = apart(() => {
    const base = dd.full([N], 4);
    return { view: base.reshape([N / 100, 100]), memory: memoryOf(base) };
  });
  expect(memoryOf(view)).toBe(memory);
  const keep = [view];
  gc();
  const made = Array.from({ length: 10 }, () => dd.full([N], -2));
  for (const t of made) expect(memoryOf(t)).not.toBe(memory);
  expect(keep[0]._typed().every((v) => v === 4)).toBe(true);
});

test('a zero-filled op gives zeros from reused memory', () => {
  const memory = apart(() => memoryOf(dd.full([N], 7)));
  gc();
  const hits = dd.memory.stats().hits;
  const z = dd.zeros([N]);
  expect(dd.memory.stats().hits).toBe(hits + 1);
  expect(memoryOf(z)).toBe(memory);
  expect(z._typed().every((v) => v === 0)).toBe(true);
});

test('memory handed to user code by .data is never reused', () => {
  // Only a view of the memory survives: the tensor and the array .data gave are gone.
  const view = apart(() => dd.full([N], 5).data.subarray(0, 10));
  gc();
  const count = reclaimed();
  const made = Array.from({ length: 10 }, () => dd.full([N], -3));
  for (const m of made) expect(memoryOf(m)).not.toBe(view.buffer);
  expect(Array.from(view)).toEqual(Array(10).fill(5));
  expect(reclaimed()).toBe(count);
});

test('memory transferred to another thread (detached) is never reused', () => {
  const length = apart(() => {
    const t = dd.full([N], 1);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(t, dd.transferList(t));
    port1.close();
    port2.close();
    return t._typed().length;
  });
  expect(length).toBe(0);
  gc();
  const detached = dd.memory.stats().detachedBuffers;
  const made = Array.from({ length: 5 }, () => dd.full([N], 2));
  expect(dd.memory.stats().detachedBuffers).toBe(detached + 1);
  for (const m of made) expect(m._typed().length).toBe(N);
});

test('an activation saved for backward is not reused while its graph lives', () => {
  dd.manualSeed(3);
  const x = dd.randn([N], { requiresGrad: true });
  // sigmoid keeps its output for backward; only the graph reaches it, and x.mul(3)'s output.
  const loss = apart(() => x.mul(3).sigmoid().sum());
  gc();
  // Many fresh tensors of the same size, filled with something else.
  const noise = Array.from({ length: 20 }, () => dd.full([N], 9));
  loss.backward();
  const xs = x._typed(), g = x.grad!._typed();
  for (let i = 0; i < N; i += 997) {
    const s = 1 / (1 + Math.exp(-3 * xs[i]));
    expect(g[i]).toBeCloseTo(3 * s * (1 - s), 5);
  }
  expect(noise.length).toBe(20);
});
