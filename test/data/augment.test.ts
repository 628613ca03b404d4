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

// The kernel's noise stream, restated with BigInt: splitmix64 mixing + Box-Muller.
const MASK = (1n << 64n) - 1n;
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
function counterNormal(seed: number, index: number): number {
  const golden = 0x9e3779b97f4a7c15n;
  const key = mix64((BigInt(seed) * golden + golden) & MASK);
  const h1 = mix64(key ^ mix64(BigInt(index >> 1)));
  const h2 = mix64((h1 + golden) & MASK);
  const u1 = Number((h1 >> 11n) + 1n) / 2 ** 53;
  const u2 = Number(h2 >> 11n) / 2 ** 53;
  const r = Math.sqrt(-2 * Math.log(u1));
  return index & 1 ? r * Math.sin(2 * Math.PI * u2) : r * Math.cos(2 * Math.PI * u2);
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
    for (const i of [0, 1, 2, 3, 999, 10000]) expect(first![i]).toBe(Math.fround(x[i] + Math.fround(Math.fround(0.3) * Math.fround(counterNormal(1234, i)))));
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
