/**
 * Resizing: F.interpolate and nn.Upsample in modes 'nearest' and 'bilinear'.
 * Values and input gradients against PyTorch (test/fixtures/torch-pool.safetensors,
 * see scripts/make-torch-pool-fixture.py), gradients against finite
 * differences of a double reference, PyTorch's size and scale rules, and bad
 * arguments.
 */
import * as dd from '../../ts';
import { gradcheck } from '../autograd/support/gradcheck';
import { expectMatchesTorch, torchCases } from './pool-fixture';
import { resize, ResizeSpec } from './pool-reference';

const { nn } = dd;
const F = dd.nn.functional;

describe('against PyTorch (float64)', () => {
  const cases = torchCases(['interpolate']);
  test('the fixture holds both modes, by size and by scale factor', () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
    for (const mode of ['nearest', 'bilinear']) {
      expect(cases.some((c) => c.args.mode === mode && c.args.size !== undefined)).toBe(true);
      expect(cases.some((c) => c.args.mode === mode && c.args.scaleFactor !== undefined)).toBe(true);
    }
    expect(cases.some((c) => c.args.alignCorners === true)).toBe(true);
    expect(cases.some((c) => c.args.recomputeScaleFactor === true)).toBe(true);
  });
  test.each(cases.map((c) => [c.name, c] as const))('%s, functional form', (_name, c) => expectMatchesTorch(c, 'functional'));
  test.each(cases.map((c) => [c.name, c] as const))('%s, as a layer', (_name, c) => expectMatchesTorch(c, 'layer'));
});

describe('gradients against finite differences', () => {
  const cases: Array<[string, number[], dd.nn.functional.InterpolateOptions, ResizeSpec]> = [
    ['nearest up and down by size', [2, 2, 5, 7], { size: [8, 4] }, { size: [8, 4], mode: 'nearest' }],
    ['nearest by scale factor (1/scale != in/out)', [1, 2, 8, 6], { scaleFactor: [1.3, 0.7] }, { size: [10, 4], scale: [1.3, 0.7], mode: 'nearest' }],
    ['nearest, output twice the input', [1, 1, 3, 4], { scaleFactor: [2.2, 2] }, { size: [6, 8], scale: [2.2, 2], mode: 'nearest' }],
    ['bilinear up', [2, 2, 4, 3], { size: [7, 8], mode: 'bilinear' }, { size: [7, 8], mode: 'bilinear' }],
    ['bilinear down', [1, 2, 9, 7], { size: [4, 3], mode: 'bilinear' }, { size: [4, 3], mode: 'bilinear' }],
    ['bilinear, corners aligned', [1, 3, 4, 5], { size: [7, 3], mode: 'bilinear', alignCorners: true }, { size: [7, 3], mode: 'bilinear', alignCorners: true }],
    [
      'bilinear by scale factor', [1, 1, 5, 6], { scaleFactor: [0.7, 1.75], mode: 'bilinear' },
      { size: [3, 10], scale: [0.7, 1.75], mode: 'bilinear' },
    ],
    ['bilinear, 1x1 planes', [2, 3, 1, 1], { size: [3, 2], mode: 'bilinear' }, { size: [3, 2], mode: 'bilinear' }],
  ];
  test.each(cases)('%s', (_name, shape, options, spec) => {
    gradcheck((x) => F.interpolate(x, options), (x) => resize(x, spec), [{ shape }]);
  });
});

describe('sizes and scales as PyTorch', () => {
  test('output size floor(in·scaleFactor); a pair or one number', () => {
    const x = dd.zeros([1, 1, 10, 5]);
    expect(F.interpolate(x, { scaleFactor: 1.3 }).shape).toEqual([1, 1, 13, 6]);
    expect(F.interpolate(x, { scaleFactor: [0.5, 2] }).shape).toEqual([1, 1, 5, 10]);
    expect(F.interpolate(x, { size: 3 }).shape).toEqual([1, 1, 3, 3]);
    expect(F.interpolate(dd.zeros([0, 3, 2, 2]), { size: 4 }).shape).toEqual([0, 3, 4, 4]);
  });

  test('nearest with a scale factor uses 1/scale, recomputeScaleFactor uses in/out', () => {
    // 8·1.3 = 10.4: ten outputs, placed by 1/1.3 or by 8/10.
    const x = dd.arange(8).reshape([1, 1, 1, 8]);
    expect(Array.from(F.interpolate(x, { scaleFactor: [1, 1.3] }).data)).toEqual([0, 0, 1, 2, 3, 3, 4, 5, 6, 6]);
    expect(Array.from(F.interpolate(x, { scaleFactor: [1, 1.3], recomputeScaleFactor: true }).data)).toEqual([0, 0, 1, 2, 3, 4, 4, 5, 6, 7]);
    expect(Array.from(F.interpolate(x, { size: [1, 10] }).data)).toEqual([0, 0, 1, 2, 3, 4, 4, 5, 6, 7]);
    // An output twice the input halves the index whatever the factor (3·2.2 = 6).
    const z = dd.arange(3).reshape([1, 1, 1, 3]);
    expect(Array.from(F.interpolate(z, { scaleFactor: [1, 2.2] }).data)).toEqual([0, 0, 1, 1, 2, 2]);
  });

  test('bilinear: corners aligned or not, negative source points clamped to the first pixel', () => {
    const x = dd.tensor([0, 1, 4, 9, 16], [1, 1, 1, 5]);
    const free = F.interpolate(x, { scaleFactor: [1, 0.7], mode: 'bilinear' });
    expect(Array.from(free.data).map((v) => Number(v.toFixed(4)))).toEqual([0.2143, 2.9286, 9.5]);
    const aligned = F.interpolate(x, { size: [1, 3], mode: 'bilinear', alignCorners: true });
    expect(Array.from(aligned.data)).toEqual([0, 4, 16]);
    const up = F.interpolate(dd.tensor([2, 4], [1, 1, 1, 2]), { size: [1, 4], mode: 'bilinear' });
    expect(Array.from(up.data)).toEqual([2, 2.5, 3.5, 4]);
  });
});

describe('nn.Upsample', () => {
  test('options, fields and printing', () => {
    const u = new nn.Upsample({ scaleFactor: 2 });
    expect([u.size, u.scaleFactor, u.mode, u.alignCorners]).toEqual([null, [2, 2], 'nearest', false]);
    expect(u.toString()).toBe("Upsample(scaleFactor=[2,2], mode='nearest')");
    const b = new nn.Upsample({ size: [8, 6], mode: 'bilinear', alignCorners: true });
    expect(b.toString()).toBe("Upsample(size=[8,6], mode='bilinear', alignCorners=true)");
    expect(b.call(dd.randn([2, 3, 4, 3])).shape).toEqual([2, 3, 8, 6]);
    expect(new nn.Upsample({ scaleFactor: 1.5, recomputeScaleFactor: true }).toString()).toBe("Upsample(scaleFactor=[1.5,1.5], mode='nearest', recomputeScaleFactor=true)");
  });

  test('bad arguments are errors naming the argument', () => {
    expect(() => new nn.Upsample({ scaleFactor: 2, mode: 'bicubic' } as never)).toThrow(/Upsample: mode must be one of 'nearest', 'bilinear', got "bicubic"/);
    expect(() => new nn.Upsample({ scaleFactor: 2, scale: 2 } as never)).toThrow(/Upsample: unknown option "scale"/);
    expect(() => new nn.Upsample({ size: 4, scaleFactor: 2 })).toThrow(/Upsample: give only one of size and scaleFactor/);
    expect(() => new nn.Upsample({ mode: 'bilinear' })).toThrow(/Upsample: give size or scaleFactor/);
    expect(() => new nn.Upsample({ scaleFactor: 2, alignCorners: false })).toThrow(/alignCorners can only be set with mode 'bilinear'/);
    expect(() => new nn.Upsample({ size: 4, recomputeScaleFactor: true })).toThrow(/recomputeScaleFactor is not meaningful with an explicit size/);
    expect(() => new nn.Upsample({ size: [4, 0] })).toThrow(/Upsample: size must be integers >= 1, got \[4, 0\]/);
    expect(() => new nn.Upsample({ scaleFactor: -1 })).toThrow(/Upsample: scaleFactor must be finite numbers > 0/);
    expect(() => new nn.Upsample({ scaleFactor: [2, Infinity] })).toThrow(/scaleFactor must be finite numbers > 0/);
    expect(() => new nn.Upsample({ size: [1, 2, 3] as never })).toThrow(/Upsample: size must be a number or a \[height, width\] pair/);
    expect(() => new nn.Upsample(undefined as never)).toThrow(/Upsample: options/);
    expect(() => F.interpolate(dd.zeros([1, 1, 3, 3]), { scaleFactor: 0.2 })).toThrow(/interpolate: scaleFactor \[0.2, 0.2\] gives an empty output/);
    expect(() => F.interpolate(dd.zeros([1, 3, 3]), { size: 2 })).toThrow(/interpolate: input must be 4-D/);
    expect(() => F.interpolate(dd.zeros([1, 1, 2, 2]), { size: 2, mode: 'bilinear', alignCorners: 1 } as never)).toThrow(/interpolate: alignCorners must be a boolean/);
  });
});
