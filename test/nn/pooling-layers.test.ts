/**
 * Pooling: ceil mode and dilation for MaxPool2d / AvgPool2d, adaptive average
 * and max pooling, and global average pooling. Values and input gradients
 * against PyTorch (test/fixtures/torch-pool.safetensors, see
 * scripts/make-torch-pool-fixture.py), gradients against finite differences
 * of double references, the constructors' two forms, descriptions written
 * before ceilMode existed, and bad arguments.
 */
import * as dd from '../../ts';
import { gradcheck } from '../autograd/support/gradcheck';
import { R } from '../autograd/support/reference';
import { expectMatchesTorch, torchCases } from './pool-fixture';
import { adaptivePool, windowPool, WindowSpec } from './pool-reference';

const { nn } = dd;
const F = dd.nn.functional;

describe('against PyTorch (float64)', () => {
  const cases = torchCases(['maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d', 'adaptiveMaxPool2d']);
  test('the fixture holds every kind of case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(18);
    expect(cases.filter((c) => c.args.ceilMode === true).length).toBeGreaterThanOrEqual(9);
    expect(cases.some((c) => c.args.countIncludePad === false)).toBe(true);
    expect(cases.some((c) => c.args.dilation !== undefined)).toBe(true);
  });
  test.each(cases.map((c) => [c.name, c] as const))('%s, functional form', (_name, c) => expectMatchesTorch(c, 'functional'));
  test.each(cases.map((c) => [c.name, c] as const))('%s, as a layer', (_name, c) => expectMatchesTorch(c, 'layer'));
});

describe('gradients against finite differences', () => {
  const windowCases: Array<[string, number[], WindowSpec]> = [
    ['max, ceil mode', [2, 2, 7, 9], { k: [3, 3], s: [2, 2], ceil: true }],
    ['max, ceil mode, padded', [1, 2, 6, 7], { k: [3, 2], s: [2, 2], p: [1, 1], ceil: true }],
    ['max, dilated', [1, 2, 9, 8], { k: [3, 3], s: [2, 1], p: [1, 1], d: [2, 3] }],
    ['max, dilated, ceil mode', [1, 1, 10, 7], { k: [2, 3], s: [2, 2], p: [1, 1], d: [2, 1], ceil: true }],
    ['avg, ceil mode past the padding', [1, 2, 6, 6], { k: [3, 3], s: [2, 2], p: [1, 1], ceil: true }],
    ['avg, ceil mode, padding excluded', [2, 1, 5, 8], { k: [2, 3], s: [2, 3], p: [1, 1], ceil: true, countIncludePad: false }],
    ['avg, ceil mode, 1x1 image', [1, 3, 1, 1], { k: [2, 2], s: [2, 2], p: [1, 1], ceil: true }],
  ];
  test.each(windowCases)('%s', (name, shape, spec) => {
    const kind = name.startsWith('max') ? 'max' : 'avg';
    const options = { stride: spec.s, padding: spec.p ?? 0, ceilMode: spec.ceil ?? false };
    gradcheck(
      (x) => (kind === 'max'
        ? F.maxPool2d(x, spec.k, { ...options, dilation: spec.d ?? 1 })
        : F.avgPool2d(x, spec.k, { ...options, countIncludePad: spec.countIncludePad ?? true })),
      (x) => windowPool(x, spec, kind),
      [{ shape }],
    );
  });

  const adaptiveCases: Array<[number[], [number, number]]> = [
    [[2, 3, 7, 5], [3, 2]], // overlapping bins
    [[1, 2, 3, 5], [7, 11]], // larger than the input
    [[1, 2, 8, 6], [4, 3]], // evenly divisible
    [[2, 2, 1, 1], [2, 3]], // a 1×1 plane
    [[2, 3, 5, 6], [1, 1]], // global
  ];
  test.each(adaptiveCases)('adaptive avg and max of %j to %j', (shape, size) => {
    gradcheck((x) => F.adaptiveAvgPool2d(x, size), (x) => adaptivePool(x, size[0], size[1], 'avg'), [{ shape }]);
    gradcheck((x) => F.adaptiveMaxPool2d(x, size), (x) => adaptivePool(x, size[0], size[1], 'max'), [{ shape }]);
  });

  test('global average pooling, [N, C] and with keepDims', () => {
    const flat = (x: R) => {
      const y = adaptivePool(x, 1, 1, 'avg');
      return new R(y.data, y.shape.slice(0, 2));
    };
    gradcheck((x) => F.globalAvgPool2d(x), flat, [{ shape: [3, 4, 5, 7] }]);
    gradcheck((x) => new nn.GlobalAvgPool2d({ keepDims: true }).call(x), (x) => adaptivePool(x, 1, 1, 'avg'), [{ shape: [2, 3, 1, 9] }]);
  });
});

describe('MaxPool2d and AvgPool2d constructors', () => {
  test('the positional form still works and means the same as the options form', () => {
    const x = dd.randn([2, 3, 9, 8]);
    const pairs: Array<[dd.nn.Module, dd.nn.Module]> = [
      [new nn.MaxPool2d(3, 2, 1), new nn.MaxPool2d(3, { stride: 2, padding: 1 })],
      [new nn.MaxPool2d([2, 3]), new nn.MaxPool2d([2, 3], {})],
      [new nn.MaxPool2d(2, null, 1), new nn.MaxPool2d(2, { stride: null, padding: 1 })],
      [new nn.AvgPool2d(3, 2, 1, { countIncludePad: false }), new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false })],
      [new nn.AvgPool2d(3, 2, 1, { ceilMode: true }), new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true })],
    ];
    for (const [a, b] of pairs) {
      expect(a.toString()).toBe(b.toString());
      expect(a.call(x).toArray()).toEqual(b.call(x).toArray());
    }
    expect(F.maxPool2d(x, 3, 2, 1).toArray()).toEqual(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).toArray());
    expect(F.avgPool2d(x, 3, 2, 1, false).toArray()).toEqual(F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).toArray());
  });

  test('fields and printing follow the options', () => {
    const m = new nn.MaxPool2d(3, { stride: 2, padding: 1, dilation: [1, 2], ceilMode: true });
    expect([m.kernelSize, m.stride, m.padding, m.dilation, m.ceilMode]).toEqual([[3, 3], [2, 2], [1, 1], [1, 2], true]);
    expect(m.toString()).toBe('MaxPool2d(kernelSize=[3,3], stride=[2,2], padding=[1,1], dilation=[1,2], ceilMode=true)');
    expect(new nn.MaxPool2d(2).toString()).toBe('MaxPool2d(kernelSize=[2,2], stride=[2,2], padding=[0,0])');
    const a = new nn.AvgPool2d([2, 3], { ceilMode: true, countIncludePad: false });
    expect(a.toString()).toBe('AvgPool2d(kernelSize=[2,3], stride=[2,3], padding=[0,0], ceilMode=true, countIncludePad=false)');
  });

  test('ceil mode changes the output size as PyTorch', () => {
    const x = dd.zeros([1, 1, 5, 5]);
    expect(new nn.MaxPool2d(2).call(x).shape).toEqual([1, 1, 2, 2]);
    expect(new nn.MaxPool2d(2, { ceilMode: true }).call(x).shape).toEqual([1, 1, 3, 3]);
    // The last window would start in the right padding: dropped.
    expect(new nn.MaxPool2d(2, { padding: 1, ceilMode: true }).call(x).shape).toEqual([1, 1, 3, 3]);
    expect(new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }).call(dd.zeros([1, 1, 6, 6])).shape).toEqual([1, 1, 4, 4]);
  });

  test('unknown or misplaced options, bad types and padding above half the kernel are errors naming the argument', () => {
    expect(() => new nn.MaxPool2d(2, { strides: 2 } as never)).toThrow(/MaxPool2d: unknown option "strides" \(did you mean "stride"\?/);
    expect(() => new nn.MaxPool2d(2, { countIncludePad: false } as never)).toThrow(/MaxPool2d: unknown option "countIncludePad"/);
    expect(() => new nn.AvgPool2d(2, { dilation: 2 } as never)).toThrow(/AvgPool2d: unknown option "dilation"/);
    expect(() => new nn.AvgPool2d(2, 2, 0, { ceil: true } as never)).toThrow(/AvgPool2d: unknown option "ceil"/);
    expect(() => new nn.MaxPool2d(2, { ceilMode: 1 } as never)).toThrow(/MaxPool2d: ceilMode must be a boolean/);
    expect(() => new nn.MaxPool2d(2, { stride: 0 })).toThrow(/MaxPool2d: stride must be integers >= 1/);
    expect(() => new nn.MaxPool2d(2, { dilation: 0 })).toThrow(/MaxPool2d: dilation must be integers >= 1/);
    expect(() => new nn.MaxPool2d(3, { padding: 2 })).toThrow(/MaxPool2d: padding \[2,2\] must be at most half the kernel size/);
    expect(() => new nn.AvgPool2d(0)).toThrow(/AvgPool2d: kernelSize must be integers >= 1/);
    expect(() => (F.maxPool2d as (...args: unknown[]) => dd.Tensor)(dd.zeros([1, 1, 4, 4]), 2, { stride: 2 }, 1)).toThrow(/maxPool2d: pass either the options object \{ stride, padding, dilation, ceilMode \} or positional stride and padding, not both/);
    expect(() => F.avgPool2d(dd.zeros([1, 1, 4, 4]), 2, { ceil_mode: true } as never)).toThrow(/avgPool2d: unknown option "ceil_mode"/);
  });

  test('windows that do not fit, and dilated windows that would see only padding, are RangeErrors', () => {
    expect(() => F.maxPool2d(dd.zeros([1, 1, 4, 4]), 3, { dilation: 2 })).toThrow(/maxPool2d: the 3x3 window dilated by \[2, 2\].* does not fit the input of shape \[1,1,4,4\]/);
    expect(() => F.maxPool2d(dd.zeros([1, 1, 2, 2]), 2, { stride: 1, padding: 1, dilation: 3 }))
      .toThrow(/maxPool2d: with dilation \[3, 3\] and padding \[1, 1\], a window would cover only padding/);
    expect(() => F.maxPool2d(dd.zeros([1, 4, 4]), 2)).toThrow(/maxPool2d: input must be 4-D/);
  });
});

describe('adaptive and global pooling layers', () => {
  test('output sizes: a number, a pair, and null keeping an axis', () => {
    const x = dd.randn([2, 3, 10, 9]);
    expect(new nn.AdaptiveAvgPool2d(4).call(x).shape).toEqual([2, 3, 4, 4]);
    expect(new nn.AdaptiveMaxPool2d([2, 5]).call(x).shape).toEqual([2, 3, 2, 5]);
    expect(new nn.AdaptiveAvgPool2d([null, 3]).call(x).shape).toEqual([2, 3, 10, 3]);
    expect(new nn.AdaptiveMaxPool2d([6, null]).call(x).shape).toEqual([2, 3, 6, 9]);
    expect(new nn.AdaptiveAvgPool2d([null, 3]).toString()).toBe('AdaptiveAvgPool2d(outputSize=[null, 3])');
    expect(new nn.AdaptiveMaxPool2d(7).outputSize).toEqual([7, 7]);
  });

  test('global average pooling is the plane mean, [N, C] or [N, C, 1, 1]', () => {
    const x = dd.randn([3, 4, 6, 5]);
    const y = new nn.GlobalAvgPool2d().call(x);
    expect(y.shape).toEqual([3, 4]);
    const want = x.mean([2, 3]);
    for (let i = 0; i < 12; i++) expect(Math.abs(y.data[i] - want.data[i])).toBeLessThan(1e-6);
    expect(new nn.GlobalAvgPool2d({ keepDims: true }).call(x).shape).toEqual([3, 4, 1, 1]);
    expect(F.adaptiveAvgPool2d(x, 1).data).toEqual(y.data);
    expect(new nn.GlobalAvgPool2d({ keepDims: true }).toString()).toBe('GlobalAvgPool2d(keepDims=true)');
    // Empty batches pass through.
    expect(F.globalAvgPool2d(dd.zeros([0, 4, 3, 3])).shape).toEqual([0, 4]);
  });

  test('bad arguments are errors naming the argument', () => {
    expect(() => new nn.AdaptiveAvgPool2d(0)).toThrow(/AdaptiveAvgPool2d: outputSize must be integers >= 1 \(or null to keep an axis\), got 0/);
    expect(() => new nn.AdaptiveMaxPool2d([2, 2, 2] as never)).toThrow(/AdaptiveMaxPool2d: outputSize must be a number or a \[height, width\] pair/);
    expect(() => new nn.AdaptiveMaxPool2d('7' as never)).toThrow(TypeError);
    expect(() => new nn.AdaptiveAvgPool2d([1.5, 2])).toThrow(/outputSize must be integers >= 1/);
    expect(() => F.adaptiveAvgPool2d(dd.zeros([2, 3, 4]), 2)).toThrow(/adaptiveAvgPool2d: input must be 4-D/);
    expect(() => F.adaptiveMaxPool2d(dd.zeros([2, 3, 0, 4]), 2)).toThrow(/adaptiveMaxPool2d: input must have H and W of at least 1/);
    expect(() => new nn.GlobalAvgPool2d({ keepDim: true } as never)).toThrow(/GlobalAvgPool2d: unknown option "keepDim" \(did you mean "keepDims"\?/);
    expect(() => F.globalAvgPool2d(dd.zeros([2, 3, 4, 4]), { keepDims: 'yes' } as never)).toThrow(/globalAvgPool2d: keepDims must be a boolean/);
    expect(() => F.adaptiveAvgPool2d(dd.zeros([1, 1, 2, 2], { dtype: 'int32' }), 1)).toThrow(/adaptiveAvgPool2d: input must be float32/);
  });
});

describe('model descriptions', () => {
  test('a description written before ceilMode and dilation existed reads with their defaults', () => {
    const old = { format: 'dendrite.model', version: 1, model: { type: 'MaxPool2d', config: { kernelSize: [3, 3], stride: [2, 2], padding: [1, 1] } } };
    const m = dd.io.modelFromDescription(JSON.stringify(old)) as dd.nn.MaxPool2d;
    expect([m.ceilMode, m.dilation]).toEqual([false, [1, 1]]);
    const oldAvg = { ...old, model: { type: 'AvgPool2d', config: { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], countIncludePad: false } } };
    const a = dd.io.modelFromDescription(JSON.stringify(oldAvg)) as dd.nn.AvgPool2d;
    expect([a.ceilMode, a.countIncludePad]).toEqual([false, false]);
  });

  test('new options are written, and bad ones are refused', () => {
    const doc = dd.io.describeModel(new nn.Sequential(new nn.MaxPool2d(3, { stride: 2, ceilMode: true }), new nn.AdaptiveAvgPool2d([null, 2])));
    const [max, adaptive] = (doc.model.config as { layers: Array<{ config: Record<string, unknown> }> }).layers;
    expect(max.config).toEqual({ kernelSize: [3, 3], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: true });
    expect(adaptive.config).toEqual({ outputSize: [0, 2] });
    const bad = { format: 'dendrite.model', version: 1, model: { type: 'MaxPool2d', config: { kernelSize: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: 'yes' } } };
    expect(() => dd.io.modelFromDescription(JSON.stringify(bad))).toThrow(/config.ceilMode must be true or false/);
  });
});
