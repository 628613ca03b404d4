/**
 * conv2dForward / conv2dBackward against a plain double-precision reference
 * on awkward shapes, on both ISA paths and 1 and 2 threads; the backward also
 * against finite differences of the forward computed in double.
 */
import { native } from '../../ts/native';
import { forEachBackend } from '../support/isa';
import { TestRandom } from '../support/random';

interface Geometry {
  n: number; c: number; h: number; w: number; o: number; kh: number; kw: number;
  sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
}

function geo(n: number, c: number, h: number, w: number, o: number, kh: number, kw: number,
  sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1): Geometry {
  return { n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw };
}

function outSize(g: Geometry): [number, number] {
  return [
    Math.floor((g.h + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh) + 1,
    Math.floor((g.w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw) + 1,
  ];
}

function args(g: Geometry): number[] {
  return [g.n, g.c, g.h, g.w, g.o, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw];
}

/** Calls fn(xIndex, wIndex, yIndex) for every term of the convolution sum. */
function forEachTerm(g: Geometry, fn: (xi: number, wi: number, yi: number) => void): void {
  const [oh, ow] = outSize(g);
  for (let b = 0; b < g.n; b++)
    for (let o = 0; o < g.o; o++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          for (let c = 0; c < g.c; c++)
            for (let i = 0; i < g.kh; i++)
              for (let j = 0; j < g.kw; j++) {
                const iy = oy * g.sh - g.ph + i * g.dh, ix = ox * g.sw - g.pw + j * g.dw;
                if (iy < 0 || ix < 0 || iy >= g.h || ix >= g.w) continue;
                fn(((b * g.c + c) * g.h + iy) * g.w + ix, ((o * g.c + c) * g.kh + i) * g.kw + j,
                  ((b * g.o + o) * oh + oy) * ow + ox);
              }
}

interface Reference { value: Float64Array; scale: Float64Array }

function reference(g: Geometry, x: Float32Array, w: Float32Array, bias: Float32Array, gy: Float32Array) {
  const [oh, ow] = outSize(g);
  const plane = oh * ow;
  const make = (n: number): Reference => ({ value: new Float64Array(n), scale: new Float64Array(n) });
  const out = make(gy.length), gx = make(x.length), gw = make(w.length), gb = make(g.o);
  for (let yi = 0; yi < gy.length; yi++) {
    const o = Math.floor(yi / plane) % g.o;
    out.value[yi] = bias[o]; out.scale[yi] = Math.abs(bias[o]);
    gb.value[o] += gy[yi]; gb.scale[o] += Math.abs(gy[yi]);
  }
  forEachTerm(g, (xi, wi, yi) => {
    out.value[yi] += x[xi] * w[wi]; out.scale[yi] += Math.abs(x[xi] * w[wi]);
    gx.value[xi] += gy[yi] * w[wi]; gx.scale[xi] += Math.abs(gy[yi] * w[wi]);
    gw.value[wi] += gy[yi] * x[xi]; gw.scale[wi] += Math.abs(gy[yi] * x[xi]);
  });
  return { out, gx, gw, gb };
}

/** Index of the first element outside |got − want| <= 3e-6·scale + 1e-6, or −1. */
function firstMismatch(got: Float32Array, want: Reference): number {
  for (let i = 0; i < want.value.length; i++) {
    if (!(Math.abs(got[i] - want.value[i]) <= 3e-6 * want.scale[i] + 1e-6)) return i;
  }
  return -1;
}

const shapes: Array<[string, Geometry]> = [
  ['1x1 image, 1x1 kernel', geo(1, 1, 1, 1, 1, 1, 1)],
  ['1x1 image, 3x3 kernel pad 1', geo(3, 2, 1, 1, 5, 3, 3, 1, 1, 1, 1)],
  ['odd sizes', geo(2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1)],
  ['padding larger than the kernel', geo(2, 2, 5, 6, 3, 2, 3, 1, 1, 4, 5)],
  ['stride larger than the kernel', geo(2, 3, 11, 13, 2, 2, 2, 3, 4, 0, 1)],
  ['dilation', geo(1, 2, 9, 10, 3, 3, 2, 1, 2, 2, 1, 2, 3)],
  ['pointwise (1x1 stride 1, no im2col)', geo(5, 7, 6, 6, 11, 1, 1)],
  ['1x1 stride 2', geo(3, 5, 9, 7, 6, 1, 1, 2, 2)],
  ['batch 1, primes', geo(1, 3, 13, 11, 7, 5, 3, 2, 1, 2, 1)],
  ['prime batch', geo(13, 1, 17, 19, 5, 3, 3, 1, 1, 1, 1)],
  ['kernel as large as the input', geo(2, 3, 4, 9, 2, 4, 9)],
  ['W2b-like, small', geo(3, 8, 14, 14, 16, 3, 3, 1, 1, 1, 1)],
  ['3x3 pad 1 (Winograd), odd sides, channels past one panel', geo(2, 9, 7, 5, 33, 3, 3, 1, 1, 1, 1)],
];

describe('conv2d kernels', () => {
  const d = native();

  test.each(shapes)('%s: forward and backward match the double reference', (_name, g) => {
    const rng = new TestRandom(g.n * 1000 + g.c * 100 + g.h);
    const [oh, ow] = outSize(g);
    const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw);
    const bias = rng.float32(g.o), gy = rng.float32(g.n * g.o * oh * ow);
    const ref = reference(g, x, w, bias, gy);
    forEachBackend((isa, threads) => {
      const where = `${isa} ${threads}T`;
      const out = new Float32Array(gy.length).fill(NaN);
      const gx = new Float32Array(x.length).fill(NaN), gw = new Float32Array(w.length).fill(NaN);
      const gb = new Float32Array(g.o).fill(NaN);
      d.conv2dForward(x, w, bias, out, ...(args(g) as [number, number, number, number, number, number, number, number, number, number, number, number, number]));
      expect([where, firstMismatch(out, ref.out)]).toEqual([where, -1]);
      d.conv2dBackward(x, w, gy, gx, gw, gb, ...(args(g) as [number, number, number, number, number, number, number, number, number, number, number, number, number]));
      expect([where, 'gx', firstMismatch(gx, ref.gx)]).toEqual([where, 'gx', -1]);
      expect([where, 'gw', firstMismatch(gw, ref.gw)]).toEqual([where, 'gw', -1]);
      expect([where, 'gb', firstMismatch(gb, ref.gb)]).toEqual([where, 'gb', -1]);
    });
  });

  type Geo13 = [number, number, number, number, number, number, number, number, number, number, number, number, number];

  test('null bias and null gradients', () => {
    const g = geo(2, 3, 6, 5, 4, 3, 2, 2, 1, 1, 0);
    const rng = new TestRandom(5);
    const [oh, ow] = outSize(g);
    const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw);
    const gy = rng.float32(g.n * g.o * oh * ow);
    const ref = reference(g, x, w, new Float32Array(g.o), gy);
    const out = new Float32Array(gy.length).fill(NaN);
    d.conv2dForward(x, w, null, out, ...(args(g) as Geo13));
    expect(firstMismatch(out, ref.out)).toBe(-1);
    const gx = new Float32Array(x.length).fill(NaN), gw = new Float32Array(w.length).fill(NaN);
    d.conv2dBackward(x, w, gy, gx, null, null, ...(args(g) as Geo13));
    expect(firstMismatch(gx, ref.gx)).toBe(-1);
    d.conv2dBackward(x, w, gy, null, gw, null, ...(args(g) as Geo13));
    expect(firstMismatch(gw, ref.gw)).toBe(-1);
  });

  test('backward matches finite differences of the forward computed in double', () => {
    for (const g of [geo(2, 2, 5, 4, 3, 3, 2, 2, 1, 1, 2, 1, 2), geo(1, 3, 4, 4, 2, 1, 1, 2, 2), geo(1, 1, 3, 3, 2, 2, 2, 1, 1, 1, 1)]) {
      const rng = new TestRandom(11);
      const [oh, ow] = outSize(g);
      const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw);
      const bias = rng.float32(g.o), gy = rng.float32(g.n * g.o * oh * ow);
      // L(x, w, b) = Σ gy · conv(x, w, b), in double.
      const loss = (xs: Float64Array, ws: Float64Array, bs: Float64Array): number => {
        const out = new Float64Array(gy.length);
        for (let yi = 0; yi < out.length; yi++) out[yi] = bs[Math.floor(yi / (oh * ow)) % g.o];
        forEachTerm(g, (xi, wi, yi) => { out[yi] += xs[xi] * ws[wi]; });
        let l = 0;
        for (let i = 0; i < out.length; i++) l += gy[i] * out[i];
        return l;
      };
      const gx = new Float32Array(x.length), gw = new Float32Array(w.length), gb = new Float32Array(g.o);
      d.conv2dBackward(x, w, gy, gx, gw, gb, ...(args(g) as Geo13));
      const h = 1e-3;
      const check = (which: 'x' | 'w' | 'b', grad: Float32Array) => {
        const base = { x: Float64Array.from(x), w: Float64Array.from(w), b: Float64Array.from(bias) };
        for (let i = 0; i < grad.length; i++) {
          const plus = { ...base, [which]: Float64Array.from(base[which]) };
          const minus = { ...base, [which]: Float64Array.from(base[which]) };
          plus[which][i] += h; minus[which][i] -= h;
          const fd = (loss(plus.x, plus.w, plus.b) - loss(minus.x, minus.w, minus.b)) / (2 * h);
          expect(Math.abs(fd - grad[i])).toBeLessThan(1e-4 * (1 + Math.abs(fd)));
        }
      };
      check('x', gx); check('w', gw); check('b', gb);
    }
  });

  test('a batch larger than one column chunk gives the same result image by image', () => {
    // 9 images of 64x70 with a 5x5 kernel: several chunks of the column buffer.
    const g = geo(9, 2, 64, 70, 2, 5, 5, 1, 1, 2, 2);
    const rng = new TestRandom(21);
    const [oh, ow] = outSize(g);
    const x = rng.float32(g.n * g.c * g.h * g.w), w = rng.float32(g.o * g.c * g.kh * g.kw), bias = rng.float32(g.o);
    const out = new Float32Array(g.n * g.o * oh * ow);
    d.conv2dForward(x, w, bias, out, ...(args(g) as Geo13));
    const imageIn = g.c * g.h * g.w, imageOut = g.o * oh * ow;
    for (const b of [0, 4, 8]) {
      const one = new Float32Array(imageOut);
      d.conv2dForward(x.subarray(b * imageIn, (b + 1) * imageIn), w, bias, one, 1, ...(args(g).slice(1) as [number, number, number, number, number, number, number, number, number, number, number, number]));
      expect(Array.from(one)).toEqual(Array.from(out.subarray(b * imageOut, (b + 1) * imageOut)));
    }
  });
});

describe('conv2d argument checks', () => {
  const d = native();
  const f = (n: number) => new Float32Array(n);
  type Geo13 = [number, number, number, number, number, number, number, number, number, number, number, number, number];
  const g: Geo13 = [1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1];  // out 2x2

  test('a kernel larger than the padded input is a RangeError naming the arguments', () => {
    expect(() => d.conv2dForward(f(16), f(25), null, f(1), 1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1))
      .toThrow(/conv2dForward: output height would be < 1.*kh.*padH/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(4), 1, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 3))
      .toThrow(/output width would be < 1.*dilationW/);
    expect(() => d.conv2dBackward(f(16), f(25), f(1), f(16), null, null, 1, 1, 4, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1))
      .toThrow(RangeError);
  });

  test('zero kernel, stride or dilation is a RangeError', () => {
    for (const [i, name] of [[5, 'kh'], [6, 'kw'], [7, 'strideH'], [8, 'strideW'], [11, 'dilationH'], [12, 'dilationW']] as Array<[number, string]>) {
      const bad = [...g] as Geo13;
      bad[i] = 0;
      expect(() => d.conv2dForward(f(16), f(9), null, f(4), ...bad)).toThrow(new RegExp(`'${name}' must be at least 1`));
    }
  });

  test('short arrays, overflowing sizes and overlapping outputs are rejected', () => {
    expect(() => d.conv2dForward(f(15), f(9), null, f(4), ...g)).toThrow(/argument 'x' needs at least 16/);
    expect(() => d.conv2dForward(f(16), f(8), null, f(4), ...g)).toThrow(/argument 'w' needs at least 9/);
    expect(() => d.conv2dForward(f(16), f(9), f(0), f(4), ...g)).toThrow(/argument 'bias' needs at least 1/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(3), ...g)).toThrow(/argument 'out' needs at least 4/);
    expect(() => d.conv2dBackward(f(16), f(9), f(4), f(15), null, null, ...g)).toThrow(/argument 'gx' needs at least 16/);
    expect(() => d.conv2dBackward(f(16), f(9), f(4), null, f(8), null, ...g)).toThrow(/argument 'gw' needs at least 9/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(4), 2 ** 30, 2 ** 30, 2 ** 30, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1)).toThrow(/too large/);
    expect(() => d.conv2dForward(f(16), f(9), null, f(4), 1.5, 1, 4, 4, 1, 3, 3, 1, 1, 0, 0, 1, 1)).toThrow(/'n'/);
    expect(() => d.conv2dForward(f(16), f(9), new Float64Array(1) as unknown as Float32Array, f(4), ...g)).toThrow(TypeError);
    const buffer = f(32);
    expect(() => d.conv2dForward(buffer.subarray(0, 16), f(9), null, buffer.subarray(12, 16), ...g)).toThrow(/'out' overlaps/);
    expect(() => d.conv2dBackward(f(16), f(9), buffer.subarray(0, 4), buffer.subarray(2, 18), null, null, ...g)).toThrow(/'gx' overlaps argument 'gy'/);
  });
});
