import * as dd from '../../ts/index';
import { compose, gaussianNoise, horizontalFlip, randomCrop, randomRotation, randomShift } from '../../ts/data/augment-transforms';
import { TestRandom } from '../support/random';

function batch(n: number, c: number, h: number, w: number, seed = 1): dd.Tensor {
  return dd.tensor(new TestRandom(seed).float32(n * c * h * w, 0, 1), [n, c, h, w]);
}

const at = (d: Float32Array, [, c, h, w]: number[], i: number, ch: number, y: number, x: number) => d[((i * c + ch) * h + y) * w + x];

test('a seeded pipeline gives the same batch for the same (seed, epoch, batch), whatever ran before', () => {
  const x = batch(6, 1, 12, 10);
  const make = () => compose([randomShift({ pad: 2 }), horizontalFlip(), randomRotation(10), gaussianNoise(0.05)], { seed: 42 });
  const a = make(), b = make();
  const first = Array.from(a.transform(x, 3, 7).data);
  b.transform(x, 0, 0); // other batches first: no shared state
  b.transform(x, 3, 8);
  expect(Array.from(b.transform(x, 3, 7).data)).toEqual(first);
  expect(Array.from(a.transform(x, 3, 8).data)).not.toEqual(first);
  expect(Array.from(a.transform(x, 4, 7).data)).not.toEqual(first);
  expect(Array.from(compose(a.transforms, { seed: 43 }).transform(x, 3, 7).data)).not.toEqual(first);
  // The plain-array form used by data loaders: deterministic in its seed too.
  const raw = { data: Float32Array.from(x.data), shape: [...x.shape] };
  const p = a.apply(raw, 123), q = make().apply(raw, 123);
  expect(Array.from(p.data)).toEqual(Array.from(q.data));
  expect(Array.from(a.apply(raw, 124).data)).not.toEqual(Array.from(p.data));
});

test('each transform does what it says', () => {
  const shape = [3, 2, 5, 7];
  const x = batch(3, 2, 5, 7, 2);
  const d = x.data;
  // pad 0 shift, zero rotation and zero noise are the identity.
  expect(Array.from(compose([randomShift({ pad: 0 }), randomRotation(0), gaussianNoise(0)]).transform(x).data)).toEqual(Array.from(d));
  // p = 1 flip mirrors every image.
  const f = compose([horizontalFlip({ p: 1 })]).transform(x).data;
  for (let i = 0; i < 3; i++) for (let ch = 0; ch < 2; ch++) for (let y = 0; y < 5; y++) for (let xx = 0; xx < 7; xx++) {
    expect(at(f, shape, i, ch, y, xx)).toBe(at(d, shape, i, ch, y, 6 - xx));
  }
  // A shift moves every image by one whole-pixel offset within ±pad, filling the rest.
  const s = compose([randomShift({ pad: 2, fill: -1 })], { seed: 5 }).transform(x, 0, 0).data;
  for (let i = 0; i < 3; i++) {
    let found = false;
    for (let dy = -2; dy <= 2 && !found; dy++) for (let dx = -2; dx <= 2 && !found; dx++) {
      let ok = true;
      for (let ch = 0; ch < 2 && ok; ch++) for (let y = 0; y < 5 && ok; y++) for (let xx = 0; xx < 7 && ok; xx++) {
        const sy = y + dy, sx = xx + dx;
        const want = sy >= 0 && sy < 5 && sx >= 0 && sx < 7 ? at(d, shape, i, ch, sy, sx) : -1;
        ok = at(s, shape, i, ch, y, xx) === want;
      }
      found = ok;
    }
    expect(found).toBe(true);
  }
  // Noise of the asked size, clamped.
  const n = compose([gaussianNoise(0.1, { clamp: [0, 1] })], { seed: 3 }).transform(batch(4, 1, 32, 32, 3)).data;
  const base = batch(4, 1, 32, 32, 3).data;
  let sq = 0, inside = 0;
  for (let i = 0; i < n.length; i++) {
    expect(n[i]).toBeGreaterThanOrEqual(0);
    expect(n[i]).toBeLessThanOrEqual(1);
    if (n[i] > 0 && n[i] < 1) { sq += (n[i] - base[i]) ** 2; inside++; }
  }
  expect(Math.sqrt(sq / inside)).toBeGreaterThan(0.07);
  expect(Math.sqrt(sq / inside)).toBeLessThan(0.11);
  // A crop changes the shape.
  const crop = compose([randomCrop({ size: [4, 6], padding: 1 })]);
  expect(crop.transform(x).shape).toEqual([3, 2, 4, 6]);
  expect(crop.outputShape([3, 5, 7])).toEqual([3, 4, 6]);
  expect(() => compose([randomCrop({ size: 9 })]).transform(x)).toThrow(/does not fit 5x7 images/);
});

test('bad arguments give clear errors', () => {
  expect(() => randomShift({ pad: -1 })).toThrow(/pad must be a non-negative integer/);
  expect(() => horizontalFlip({ p: 2 })).toThrow(/p must be in \[0, 1\]/);
  expect(() => gaussianNoise(0.1, { clamp: [1, 0] })).toThrow(/clamp/);
  expect(() => compose([{} as never])).toThrow(/item 0 is not a transform/);
  expect(() => compose([], { seed: -1 })).toThrow(/seed/);
  expect(() => compose([horizontalFlip()]).transform(dd.zeros([4, 784]))).toThrow(/reshape flat rows to images/);
  expect(() => compose([horizontalFlip()]).transform(dd.zeros([1, 1, 2, 2]), -1)).toThrow(/epoch/);
});

test("fit's augment option transforms training batches only, with the epoch and batch index", async () => {
  dd.manualSeed(1);
  const { nn } = dd;
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(16, 2));
  const data = { x: batch(12, 1, 4, 4), y: dd.tensor(Int32Array.from({ length: 12 }, (_, i) => i % 2), [12], { dtype: 'int32' }) };
  const pipeline = compose([randomShift({ pad: 1 }), horizontalFlip()], { seed: 9 });
  const seen: string[] = [];
  const augment = { transform: (x: dd.Tensor, epoch: number, b: number) => { seen.push(`${epoch}:${b}:${x.shape[0]}`); return pipeline.transform(x, epoch, b); } };
  await dd.fit(model, data, {
    epochs: 2, batchSize: 5, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy', verbose: 0,
    augment, validationData: data,
  });
  expect(seen).toEqual(['0:0:5', '0:1:5', '0:2:2', '1:0:5', '1:1:5', '1:2:2']);
  await expect(dd.fit(model, data, { optimizer: new dd.optim.SGD(model.parameters(), { lr: 0 }), loss: 'crossEntropy', verbose: 0, augment: {} as never }))
    .rejects.toThrow(/augment must have a transform/);
});

test('dd.data.augment is the transform API, and a pipeline drives a DataLoader the way ImageAugmenter does', () => {
  expect(typeof dd.data.augment.compose).toBe('function');
  const n = 10;
  const ds = new dd.data.Dataset({ data: batch(n, 1, 6, 6).data.slice(), shape: [n, 1, 6, 6] }, { data: new Int32Array(n), shape: [n] });
  const pipeline = dd.data.augment.compose([dd.data.augment.randomShift({ pad: 1 }), dd.data.augment.horizontalFlip()], { seed: 3 });
  const loader = () => new dd.data.DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1, augment: pipeline, reuseBuffers: false });
  const a = [...loader().epoch(2)].map((b) => Array.from(b.x.data));
  const b = [...loader().epoch(2)].map((b) => Array.from(b.x.data));
  expect(a).toEqual(b);
  const plain = [...new dd.data.DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1, reuseBuffers: false }).epoch(2)].map((b) => Array.from(b.x.data));
  expect(a).not.toEqual(plain);
  expect(a.map((x) => x.length)).toEqual(plain.map((x) => x.length));
});
