import { DataLoader, Dataset, ImageAugmenter, SeededRandom, deriveSeed, trainValidationSplit } from '../../ts/data';

/** N samples of shape [2] whose values encode their index: x = [i, -i], y = i. */
function numbered(n: number): Dataset {
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
    y[i] = i;
  }
  return new Dataset({ data: x, shape: [n, 2] }, { data: y, shape: [n] });
}

describe('Dataset', () => {
  test('shapes, get and checks', () => {
    const ds = numbered(5);
    expect(ds.length).toBe(5);
    expect(ds.sampleShape).toEqual([2]);
    expect(ds.labelShape).toEqual([]);
    expect(ds.labelDtype).toBe('int32');
    expect(Array.from(ds.get(3).x)).toEqual([3, -3]);
    expect(Array.from(ds.get(3).y)).toEqual([3]);
    expect(() => ds.get(5)).toThrow(/index 5 is outside \[0, 5\)/);
    expect(() => new Dataset({ data: new Float32Array(4), shape: [2, 2] }, { data: new Int32Array(3), shape: [3] })).toThrow(/same first dimension/);
    expect(() => new Dataset({ data: new Float32Array(4), shape: [2, 3] }, { data: new Int32Array(2), shape: [2] })).toThrow(/holds 6 elements but the data has 4/);
    expect(() => new Dataset({ data: new Float64Array(2) as never, shape: [2] }, { data: new Int32Array(2), shape: [2] })).toThrow(TypeError);
  });

  test('subsets are views; x/y gather their rows', () => {
    const ds = numbered(10);
    const sub = ds.subset([7, 2, 9]);
    const subsub = sub.subset([2, 0]);
    expect(Array.from(subsub.y.data)).toEqual([9, 7]);
    expect(Array.from(sub.x.data)).toEqual([7, -7, 2, -2, 9, -9]);
    expect(sub.x.shape).toEqual([3, 2]);
    expect(sub.x).toBe(sub.x); // gathered once
    expect(ds.x.data.length).toBe(20); // the base dataset's arrays, uncopied
  });

  test('trainValidationSplit is a seeded partition', () => {
    const ds = numbered(101);
    const a = trainValidationSplit(ds, 0.2, 7);
    const b = trainValidationSplit(ds, 0.2, 7);
    const c = trainValidationSplit(ds, 0.2, 8);
    expect(a.validation.length).toBe(20);
    expect(a.train.length).toBe(81);
    const all = [...a.train.y.data, ...a.validation.y.data].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(Array.from(a.validation.y.data)).toEqual(Array.from(b.validation.y.data));
    expect(Array.from(a.validation.y.data)).not.toEqual(Array.from(c.validation.y.data));
    // Each part keeps the original order.
    const v = Array.from(a.validation.y.data);
    expect(v).toEqual([...v].sort((p, q) => p - q));
    expect(() => trainValidationSplit(ds, 1.5)).toThrow(RangeError);
  });
});

describe('DataLoader', () => {
  test('in order: full batches then the partial last one', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = Array.from(loader.epoch(0), (b) => ({ x: b.x.shape, y: Array.from(b.y.data), shape: b.y.shape }));
    expect(batches).toEqual([
      { x: [4, 2], y: [0, 1, 2, 3], shape: [4] },
      { x: [4, 2], y: [4, 5, 6, 7], shape: [4] },
      { x: [2, 2], y: [8, 9], shape: [2] },
    ]);
  });

  test('dropLast drops the partial batch', () => {
    const loader = new DataLoader(numbered(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(Array.from(loader.epoch(0), (b) => b.y.data.length)).toEqual([4, 4]);
    expect(new DataLoader(numbered(3), { batchSize: 4, dropLast: true }).length).toBe(0);
  });

  test('x rows match y rows, and every sample appears once per epoch', () => {
    const loader = new DataLoader(numbered(37), { batchSize: 8, shuffle: true, seed: 3 });
    for (let e = 0; e < 3; e++) {
      const seen: number[] = [];
      for (const b of loader.epoch(e)) {
        for (let k = 0; k < b.y.data.length; k++) {
          expect(b.x.data[2 * k]).toBe(b.y.data[k]);
          expect(b.x.data[2 * k + 1]).toBe(-b.y.data[k]);
          expect(b.indices[k]).toBe(b.y.data[k]);
        }
        seen.push(...b.y.data);
      }
      expect(seen.sort((a, c) => a - c)).toEqual(Array.from({ length: 37 }, (_, i) => i));
    }
  });

  test('shuffling: a new permutation each epoch, reproducible from the seed', () => {
    // Each batch is read while it is current (see the buffer rule).
    const order = (l: DataLoader, e: number) => Array.from(l.epoch(e), (b) => Array.from(b.y.data)).flat();
    const a = new DataLoader(numbered(50), { batchSize: 7, shuffle: true, seed: 11 });
    const b = new DataLoader(numbered(50), { batchSize: 7, shuffle: true, seed: 11 });
    const c = new DataLoader(numbered(50), { batchSize: 7, shuffle: true, seed: 12 });
    expect(order(a, 0)).toEqual(order(b, 0));
    expect(order(a, 1)).not.toEqual(order(a, 0));
    expect(order(a, 0)).not.toEqual(order(c, 0));
    expect(order(a, 5)).toEqual(Array.from(a.order(5)));
    // Iterating the loader runs epochs 0, 1, 2, ...; any epoch can be replayed alone.
    const first = Array.from(a, (x) => Array.from(x.y.data)).flat();
    const second = Array.from(a, (x) => Array.from(x.y.data)).flat();
    expect(first).toEqual(order(b, 0));
    expect(second).toEqual(order(b, 1));
    expect(order(new DataLoader(numbered(50), { batchSize: 7 }), 3)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test('buffer reuse: a batch stays intact until two batches later, then reads as empty', () => {
    const loader = new DataLoader(numbered(20), { batchSize: 4 });
    const it = loader.epoch(0);
    const b0 = it.next().value!;
    const copy0 = Array.from(b0.y.data);
    const b1 = it.next().value!;
    expect(Array.from(b0.y.data)).toEqual(copy0); // intact while the next batch is in use
    expect(b0.x.data.length).toBe(8);
    const b2 = it.next().value!;
    // b0's memory now holds b2; b0's views are detached rather than silently rewritten.
    expect(b0.x.data.length).toBe(0);
    expect(b0.y.data.length).toBe(0);
    expect(Array.from(b2.y.data)).toEqual([8, 9, 10, 11]);
    expect(Array.from(b1.y.data)).toEqual([4, 5, 6, 7]);
    // Collecting a whole epoch without copying keeps only the last two batches readable.
    const all = [...loader.epoch(1)];
    expect(all.map((b) => b.y.data.length)).toEqual([0, 0, 0, 4, 4]);
  });

  test('buffer reuse allocates no new memory per batch', () => {
    const loader = new DataLoader(numbered(2000), { batchSize: 10 });
    for (const b of loader.epoch(0)) expect(b.x.data.length).toBe(20); // warm up the ring
    const before = process.memoryUsage().arrayBuffers;
    let batches = 0;
    for (let e = 1; e < 4; e++) for (const b of loader.epoch(e)) batches += b.y.data.length > 0 ? 1 : 0;
    expect(batches).toBe(600);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(200 * 1024); // order arrays only
  });

  test('reuseBuffers: false gives every batch its own arrays', () => {
    const loader = new DataLoader(numbered(20), { batchSize: 4, reuseBuffers: false });
    const batches = [...loader.epoch(0)];
    expect(new Set(batches.map((b) => b.x.data.buffer)).size).toBe(5);
    expect(batches.map((b) => b.y.data[0])).toEqual([0, 4, 8, 12, 16]);
  });

  test('multi-dimensional labels and float labels', () => {
    const ds = new Dataset({ data: Float32Array.from({ length: 12 }, (_, i) => i), shape: [3, 4] }, { data: Float32Array.of(1, 2, 3, 4, 5, 6), shape: [3, 2] });
    const [b] = Array.from(new DataLoader(ds, { batchSize: 5, reuseBuffers: false }).epoch(0));
    expect(b.y.shape).toEqual([3, 2]);
    expect(b.y.data).toBeInstanceOf(Float32Array);
    expect(Array.from(b.y.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('augmentation is applied per batch, seeded by (seed, epoch, batch)', () => {
    const n = 6;
    const images = new Float32Array(n * 1 * 5 * 5).map((_, i) => (i % 25) / 25);
    const ds = new Dataset({ data: images, shape: [n, 1, 5, 5] }, { data: new Int32Array(n), shape: [n] });
    const augment = new ImageAugmenter({ shift: 2, flip: true });
    const loader = new DataLoader(ds, { batchSize: 4, augment, seed: 5 });
    const batches = Array.from(loader.epoch(1), (b) => ({ shape: b.x.shape, data: Array.from(b.x.data) }));
    expect(batches.map((b) => b.shape)).toEqual([[4, 1, 5, 5], [2, 1, 5, 5]]);
    // The same as applying the augmenter by hand with the derived seed.
    const expected = augment.apply({ data: images.slice(0, 4 * 25), shape: [4, 1, 5, 5] }, deriveSeed(5, 2, 1, 0));
    expect(batches[0].data).toEqual(Array.from(expected.data));
    const again = Array.from(new DataLoader(ds, { batchSize: 4, augment, seed: 5 }).epoch(1), (b) => Array.from(b.x.data));
    expect(again).toEqual(batches.map((b) => b.data));
    expect(() => new DataLoader(numbered(4), { batchSize: 2, augment })).toThrow(/needs image samples/);
  });

  test('argument checks', () => {
    expect(() => new DataLoader(numbered(4), { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
    expect(() => new DataLoader({} as Dataset, { batchSize: 1 })).toThrow(TypeError);
    expect(() => [...new DataLoader(numbered(4), { batchSize: 1 }).epoch(-1)]).toThrow(/epoch/);
  });
});

describe('SeededRandom', () => {
  test('deterministic, uniform enough, unbiased ints and normal moments', () => {
    const a = new SeededRandom(1), b = new SeededRandom(1);
    const xs = Array.from({ length: 10 }, () => a.nextUint32());
    expect(xs).toEqual(Array.from({ length: 10 }, () => b.nextUint32()));
    expect(new SeededRandom(2).nextUint32()).not.toBe(xs[0]);
    const r = new SeededRandom(42);
    const counts = new Array(7).fill(0);
    let s = 0, s2 = 0;
    const n = 70000;
    for (let i = 0; i < n; i++) {
      counts[r.int(7)]++;
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    for (const c of counts) expect(Math.abs(c - n / 7)).toBeLessThan(0.05 * n / 7);
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
    expect(Array.from(r.permutation(10)).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
    expect(deriveSeed(2 ** 40)).not.toBe(deriveSeed(0));
  });
});
