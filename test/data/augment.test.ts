/**
 * Augmentation kernels (through the addon) against plain TypeScript
 * references on awkward shapes, under both ISAs and 1 and 2 threads, and the
 * seeded pipeline's determinism.
 */
import { ImageAugmenter, addGaussianNoise, rotateImages, shiftFlipImages } from '../../ts/data';
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';

type Shape = [number, number, number, number];
const shapes: Shape[] = [[0, 1, 3, 3], [1, 1, 1, 1], [2, 3, 5, 7], [3, 1, 28, 28], [1, 2, 13, 17]];

function referenceShiftFlip(x: Float32Array, [n, c, h, w]: Shape, oh: number, ow: number, oy: Int32Array, ox: Int32Array, flip: Uint8Array, fill: number) {
  const out = new Float32Array(n * c * oh * ow);
  for (let i = 0; i < n; i++)
    for (let ch = 0; ch < c; ch++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          const xs = flip[i] ? ow - 1 - xx : xx;
          const sy = y + oy[i], sx = xs + ox[i];
          out[((i * c + ch) * oh + y) * ow + xx] = sy < 0 || sx < 0 || sy >= h || sx >= w ? fill : x[((i * c + ch) * h + sy) * w + sx];
        }
  return out;
}

function referenceRotate(x: Float32Array, [n, c, h, w]: Shape, angles: Float32Array, fill: number) {
  const out = new Float64Array(x.length);
  const cx = (w - 1) / 2, cy = (h - 1) / 2;
  for (let i = 0; i < n; i++) {
    const cs = Math.cos(angles[i]), sn = Math.sin(angles[i]);
    for (let ch = 0; ch < c; ch++) {
      const at = (yy: number, xx: number) => (yy < 0 || xx < 0 || yy >= h || xx >= w ? fill : x[((i * c + ch) * h + yy) * w + xx]);
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          const sx = cx + (xx - cx) * cs - (y - cy) * sn;
          const sy = cy + (xx - cx) * sn + (y - cy) * cs;
          const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
          out[((i * c + ch) * h + y) * w + xx] =
            (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
        }
    }
  }
  return out;
}

// The kernel's noise stream (native/kernels/augment/normal_stream.h), restated
// with 32-bit integer and float32 arithmetic (Math.imul, Math.fround).
const f = Math.fround;
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function logUnit(x: number): number {
  const bits = new Uint32Array(Float32Array.of(x).buffer)[0];
  let e = f((bits >>> 23) - 126);
  let m = new Float32Array(Uint32Array.of((bits & 0x007fffff) | 0x3f000000).buffer)[0];
  if (m < f(0.70710678)) {
    e = f(e - 1);
    m = f(f(m + m) - 1);
  } else {
    m = f(m - 1);
  }
  const z = f(m * m);
  let y = f(7.0376836292e-2);
  for (const c of [-1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]) {
    y = f(f(y * m) + f(c));
  }
  y = f(f(y * m) * z);
  y = f(y + f(f(-2.1219444e-4) * e));
  y = f(y + f(f(-0.5) * z));
  return f(f(m + y) + f(f(0.693359375) * e));
}
function sinSmall(a: number): number {
  const z = f(a * a);
  let p = f(-1.9515295891e-4);
  p = f(f(p * z) + f(8.3321608736e-3));
  p = f(f(p * z) + f(-1.6666654611e-1));
  return f(a + f(f(p * z) * a));
}
function cosSmall(a: number): number {
  const z = f(a * a);
  let p = f(2.443315711809948e-5);
  p = f(f(p * z) + f(-1.388731625493765e-3));
  p = f(f(p * z) + f(4.166664568298827e-2));
  return f(f(1 - f(f(0.5) * z)) + f(f(p * z) * z));
}
function counterNormal(seed: number, index: number): number {
  const golden = 0x9e3779b9;
  const key = fmix32((seed ^ golden) >>> 0);
  const pair = Math.floor(index / 2);
  const lo = pair >>> 0, hi = Math.floor(pair / 2 ** 32);
  const hiMix = fmix32((Math.imul(hi, golden) + ((key ^ 0x7f4a7c15) >>> 0)) >>> 0);
  const h1 = fmix32((fmix32((lo + key) >>> 0) ^ hiMix) >>> 0);
  const h2 = fmix32((h1 + golden) >>> 0);
  const u1 = f(f(f(h1 >>> 1) + 0.5) * f(2 ** -31));
  const u2 = f(f(h2 >>> 8) * f(2 ** -24));
  const r = f(Math.sqrt(f(-2 * logUnit(u1))));
  const q = Math.trunc(f(f(u2 * 4) + 0.5));
  const a = f(f(u2 - f(q * 0.25)) * f(2 * Math.PI));
  const s = sinSmall(a), c = cosSmall(a);
  const sin = [s, c, -s, -c][q & 3], cos = [c, -s, -c, s][q & 3];
  return index % 2 === 1 ? f(r * sin) : f(r * cos);
}

describe('kernels against references', () => {
  test('shift/crop + flip', () => {
    const rng = new TestRandom(1);
    forEachBackend(() => {
      for (const s of shapes) {
        const [n, c, h, w] = s;
        const x = rng.float32(n * c * h * w);
        for (const [oh, ow] of [[h, w], [Math.max(1, h - 2), w + 3]]) {
          const oy = Int32Array.from({ length: n }, () => rng.int(-h - 2, h + 2));
          const ox = Int32Array.from({ length: n }, () => rng.int(-w - 2, w + 2));
          const flip = Uint8Array.from({ length: n }, () => rng.int(0, 2));
          const got = shiftFlipImages({ data: x, shape: s }, oh, ow, oy, ox, flip, 0.5);
          expect(got.shape).toEqual([n, c, oh, ow]);
          expect(Array.from(got.data)).toEqual(Array.from(referenceShiftFlip(x, s, oh, ow, oy, ox, flip, 0.5)));
        }
      }
    });
  });

  test('bilinear rotation', () => {
    const rng = new TestRandom(2);
    forEachBackend(() => {
      for (const s of shapes) {
        const [n, c, h, w] = s;
        const x = rng.float32(n * c * h * w);
        const angles = Float32Array.from({ length: n }, () => rng.uniform(-4, 4));
        if (n > 0) angles[0] = 0;
        const got = rotateImages({ data: x, shape: s }, angles, -0.25);
        const want = referenceRotate(x, s, angles, -0.25);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got.data[i] - want[i]));
        expect(worst).toBeLessThan(2e-5);
        if (n > 0) expect(Array.from(got.data.subarray(0, c * h * w))).toEqual(Array.from(x.subarray(0, c * h * w))); // angle 0
      }
    });
  });

  test('a quarter turn is counter-clockwise', () => {
    const x = new Float32Array(9);
    x[1 * 3 + 2] = 1; // right of centre
    const out = rotateImages({ data: x, shape: [1, 1, 3, 3] }, Float32Array.of(Math.PI / 2));
    expect(out.data[0 * 3 + 1]).toBeCloseTo(1, 5); // now above the centre
  });

  test('Gaussian noise is the counter-based stream, on any backend', () => {
    const x = new TestRandom(3).float32(10001);
    let first: Float32Array | undefined;
    forEachBackend(() => {
      const out = addGaussianNoise({ data: x, shape: [10001] }, 0.3, 1234).data;
      if (!first) first = out;
      else expect(Array.from(out)).toEqual(Array.from(first));
    });
    for (let i = 0; i < 10001; i += 37) expect(first![i]).toBe(Math.fround(x[i] + Math.fround(Math.fround(0.3) * Math.fround(counterNormal(1234, i)))));
    // Far into the stream (the pair counter's high word is non-zero), through the offset argument.
    const zeros = new Float32Array(40), z = new Float32Array(40);
    const offset = 2 ** 33 - 13;
    native().augmentGaussianNoise(zeros, z, 1, 99, offset, false, 0, 0);
    for (let i = 0; i < 40; i++) expect(z[i]).toBe(counterNormal(99, offset + i));
    const clamped = addGaussianNoise({ data: x, shape: [10001] }, 5, 1, [0, 1]).data;
    expect(Math.min(...clamped)).toBe(0);
    expect(Math.max(...clamped)).toBe(1);
    const inPlace = x.slice();
    addGaussianNoise({ data: inPlace, shape: [10001] }, 0.3, 1234, undefined, inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(first!));
  });

  test('bad arguments are named errors', () => {
    const x = new Float32Array(2 * 4 * 4);
    const ids = new Int32Array(2), flips = new Uint8Array(2);
    expect(() => native().augmentShiftFlip(x, x, 2, 1, 4, 4, 4, 4, ids, ids, flips, 0)).toThrow(/augmentShiftFlip: argument 'out' must not overlap 'x'/);
    expect(() => native().augmentRotate(x, x.subarray(1), 1, 1, 4, 4, new Float32Array(1), 0)).toThrow(/augmentRotate: argument 'out' must not overlap/);
    expect(() => native().augmentRotate(x, new Float32Array(32), 2, 1, 4, 4, Float32Array.of(0, NaN), 0)).toThrow(/angle of image 1 is not finite/);
    expect(() => native().augmentShiftFlip(x, new Float32Array(32), 2, 1, 4, 4, 4, 4, Int32Array.of(0, 2 ** 31 - 1), ids, flips, 0)).toThrow(/exceed 2\^30/);
    expect(() => native().augmentShiftFlip(x, new Float32Array(32), 3, 1, 4, 4, 4, 4, ids, ids, flips, 0)).toThrow(/argument 'x' needs at least 48 elements/);
    expect(() => native().augmentGaussianNoise(x, x.subarray(1), 1, 0, 0, false, 0, 0)).toThrow(RangeError);
    expect(() => native().augmentGaussianNoise(x, x, -1, 0, 0, false, 0, 0)).toThrow(/stddev/);
    expect(() => native().augmentGaussianNoise(x, x, 1, 2 ** 32, 0, false, 0, 0)).toThrow(/seed/);
    expect(() => native().augmentGaussianNoise(x, x, 1, 0, 0, true, 1, 0)).toThrow(/'lo' is greater than 'hi'/);
  });
});

describe('ImageAugmenter', () => {
  const batch = { data: new TestRandom(4).float32(16 * 1 * 12 * 10, 0, 1), shape: [16, 1, 12, 10] };

  test('the same seed gives the same batch; another seed another', () => {
    const aug = new ImageAugmenter({ shift: 2, flip: true, rotate: 15, noise: 0.05, clamp: [0, 1] });
    const a = aug.apply(batch, 99);
    const b = aug.apply(batch, 99);
    const c = new ImageAugmenter({ shift: 2, flip: true, rotate: 15, noise: 0.05, clamp: [0, 1] }).apply(batch, 99);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).toEqual(Array.from(c.data));
    expect(Array.from(aug.apply(batch, 100).data)).not.toEqual(Array.from(a.data));
    expect(a.shape).toEqual([16, 1, 12, 10]);
    expect(Math.min(...a.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.data)).toBeLessThanOrEqual(1);
  });

  test('the pipeline equals the kernels applied in turn with the drawn parameters', () => {
    const aug = new ImageAugmenter({ crop: { padding: 3, height: 9, width: 8 }, flip: 0.3, rotate: 20, noise: 0.1, fill: 0.5 });
    const p = aug.drawParameters(batch.shape, 7);
    const shifted = shiftFlipImages(batch, 9, 8, p.offsetY, p.offsetX, p.flip, 0.5);
    const rotated = rotateImages(shifted, p.angles, 0.5);
    const noisy = addGaussianNoise(rotated, 0.1, p.noiseSeed);
    const out = aug.apply(batch, 7);
    expect(out.shape).toEqual([16, 1, 9, 8]);
    expect(Array.from(out.data)).toEqual(Array.from(noisy.data));
  });

  test('drawn parameters stay in their ranges', () => {
    const aug = new ImageAugmenter({ shift: 3, flip: 0.25, rotate: 10 });
    const p = aug.drawParameters([4000, 1, 28, 28], 1);
    expect(Math.min(...p.offsetY)).toBe(-3);
    expect(Math.max(...p.offsetY)).toBe(3);
    expect(Math.min(...p.offsetX)).toBe(-3);
    expect(Math.max(...p.offsetX)).toBe(3);
    const flips = p.flip.reduce((a, b) => a + b, 0);
    expect(Math.abs(flips / 4000 - 0.25)).toBeLessThan(0.03);
    expect(Math.max(...p.angles.map(Math.abs))).toBeLessThanOrEqual((10 * Math.PI) / 180 + 1e-7);
    expect(Math.max(...p.angles.map(Math.abs))).toBeGreaterThan((9 * Math.PI) / 180);
    // A crop of the padded image covers every window.
    const crop = new ImageAugmenter({ crop: { padding: 1, height: 24, width: 28 } }).drawParameters([2000, 1, 28, 28], 2);
    expect([Math.min(...crop.offsetY), Math.max(...crop.offsetY)]).toEqual([-1, 5]);
    expect([Math.min(...crop.offsetX), Math.max(...crop.offsetX)]).toEqual([-1, 1]);
  });

  test('no options copies the batch; writes into a given out', () => {
    const out = new Float32Array(batch.data.length + 5);
    const r = new ImageAugmenter({}).apply(batch, 1, out);
    expect(r.data.buffer).toBe(out.buffer);
    expect(Array.from(r.data)).toEqual(Array.from(batch.data));
  });

  test('bad options', () => {
    expect(() => new ImageAugmenter({ shift: 1, crop: { padding: 1 } })).toThrow(/either 'shift' or 'crop'/);
    expect(() => new ImageAugmenter({ rotate: -1 })).toThrow(/'rotate' must be a non-negative number/);
    expect(() => new ImageAugmenter({ flip: 2 })).toThrow(/'flip'/);
    expect(() => new ImageAugmenter({ clamp: [1, 0] })).toThrow(/clamp/);
    expect(() => new ImageAugmenter({ crop: { height: 30 } }).apply(batch, 0)).toThrow(/larger than the padded image/);
    expect(() => new ImageAugmenter({}).apply({ data: new Float32Array(4), shape: [4] }, 0)).toThrow(/NCHW/);
  });
});
