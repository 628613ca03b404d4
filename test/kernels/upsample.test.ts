/**
 * The resizing bindings against a plain double-precision reference (PyTorch's
 * coordinate rules) on awkward shapes, every ISA path, 1 and 2 threads; and
 * their argument checks.
 */
import { native } from '../../ts/native';
import { R } from '../autograd/support/reference';
import { resize, resizeBackward } from '../nn/pool-reference';
import { forEachBackend } from '../support/isa';
import { mismatch } from './reference';
import { TestRandom } from '../support/random';

interface Case {
  shape: [number, number, number, number];
  size: [number, number];
  scale: [number, number] | null;
}

const cases: Array<[string, Case]> = [
  ['1x1 to 1x1', { shape: [1, 1, 1, 1], size: [1, 1], scale: null }],
  ['1x1 planes enlarged', { shape: [2, 3, 1, 1], size: [3, 5], scale: null }],
  ['primes up', { shape: [1, 2, 7, 5], size: [17, 13], scale: null }],
  ['primes down', { shape: [3, 1, 17, 13], size: [7, 5], scale: null }],
  ['wide rows', { shape: [1, 1, 2, 40], size: [3, 100], scale: null }],
  ['scale factors whose 1/scale is not in/out', { shape: [2, 2, 8, 6], size: [10, 4], scale: [1.3, 0.7] }],
  ['output twice the input by a factor of 2.2', { shape: [1, 1, 3, 7], size: [6, 2], scale: [2.2, 0.3] }],
  ['many planes', { shape: [32, 8, 5, 6], size: [10, 12], scale: null }],
];

describe('resizing kernels', () => {
  const d = native();
  test.each(cases)('%s: matches the double reference', (_name, c) => {
    const rng = new TestRandom(c.shape[2] * 13 + c.size[1]);
    const [n, ch, h, w] = c.shape, [oh, ow] = c.size;
    const inN = n * ch * h * w, outN = n * ch * oh * ow;
    const x = rng.float32(inN), gy = rng.float32(outN);
    const [sh, sw] = c.scale ?? [null, null];
    const modes: Array<['nearest' | 'bilinear', boolean]> = [['nearest', false], ['bilinear', false], ['bilinear', true]];
    for (const [mode, alignCorners] of modes) {
      const spec = { size: c.size, scale: c.scale, mode, alignCorners };
      const want = resize(new R(Float64Array.from(x), [...c.shape]), spec).data;
      const wantGrad = resizeBackward(new R(Float64Array.from(gy), [n, ch, oh, ow]), [...c.shape], spec).data;
      // Bilinear weights carry PyTorch's float32 source coordinates (about 1e-6 from double).
      const tol = mode === 'nearest' ? 0 : 1e-5;
      forEachBackend((isa, threads) => {
        const where = `${mode}${alignCorners ? ' aligned' : ''} ${isa} ${threads}T`;
        const out = new Float32Array(outN).fill(NaN), gx = new Float32Array(inN).fill(NaN);
        if (mode === 'nearest') {
          d.upsampleNearest2dForward(x, out, n, ch, h, w, oh, ow, sh, sw);
          d.upsampleNearest2dBackward(gy, gx, n, ch, h, w, oh, ow, sh, sw);
        } else {
          d.upsampleBilinear2dForward(x, out, n, ch, h, w, oh, ow, alignCorners, sh, sw);
          d.upsampleBilinear2dBackward(gy, gx, n, ch, h, w, oh, ow, alignCorners, sh, sw);
        }
        expect([where, mismatch(out, want, 0, tol)]).toEqual([where, '']);
        expect([where, mismatch(gx, wantGrad, 1e-5, 1e-5)]).toEqual([where, '']);
      });
    }
  });
});

describe('resizing argument checks', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  test('sizes of at least 1, scale factors positive or null, booleans', () => {
    expect(() => d.upsampleNearest2dForward(f(4), f(16), 1, 1, 2, 2, 0, 4, null, null)).toThrow(/upsampleNearest2dForward: argument 'oh' must be at least 1/);
    expect(() => d.upsampleBilinear2dBackward(f(16), f(4), 1, 1, 2, 0, 4, 4, false, null, null)).toThrow(/upsampleBilinear2dBackward: argument 'w' must be at least 1/);
    expect(() => d.upsampleNearest2dForward(f(4), f(16), 1, 1, 2, 2, 4, 4, -2, null)).toThrow(/argument 'scaleH' must be a positive number or null/);
    expect(() => d.upsampleNearest2dForward(f(4), f(16), 1, 1, 2, 2, 4, 4, 2, NaN)).toThrow(/argument 'scaleW' must be finite/);
    expect(() => d.upsampleNearest2dForward(f(4), f(16), 1, 1, 2, 2, 4, 4, 2, '2' as never)).toThrow(TypeError);
    expect(() => d.upsampleBilinear2dForward(f(4), f(16), 1, 1, 2, 2, 4, 4, 1 as never, null, null)).toThrow(/argument 'alignCorners' must be a boolean/);
  });
  test('short arrays, overflow and overlap are rejected', () => {
    expect(() => d.upsampleNearest2dForward(f(3), f(16), 1, 1, 2, 2, 4, 4, null, null)).toThrow(/'x' needs at least 4/);
    expect(() => d.upsampleBilinear2dForward(f(4), f(15), 1, 1, 2, 2, 4, 4, false, null, null)).toThrow(/'out' needs at least 16/);
    expect(() => d.upsampleNearest2dBackward(f(16), f(3), 1, 1, 2, 2, 4, 4, null, null)).toThrow(/'gx' needs at least 4/);
    expect(() => d.upsampleNearest2dForward(f(4), f(16), 2 ** 30, 2 ** 30, 2, 2, 4, 4, null, null)).toThrow(/too large/);
    const buffer = f(24);
    expect(() => d.upsampleBilinear2dForward(buffer.subarray(0, 4), buffer.subarray(2, 18), 1, 1, 2, 2, 4, 4, false, null, null)).toThrow(/overlaps/);
    // No planes: nothing to do, whatever the sizes (the per-axis tables are never built).
    expect(() => d.upsampleNearest2dForward(f(0), f(0), 0, 3, 2 ** 40, 1, 2 ** 40, 1, null, null)).not.toThrow();
  });
});
