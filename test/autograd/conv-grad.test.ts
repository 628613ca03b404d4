/**
 * conv2d (grouped and depthwise too), convTranspose2d, pooling and dropout:
 * values against double references, gradients against finite differences.
 */
import * as dd from '../../ts';
import * as ref from './support/reference';
import { conv2dGroups, convTranspose2d } from './support/conv-reference';
import { gradcheck } from './support/gradcheck';

const F = dd.nn.functional;

interface ConvCase {
  x: number[];
  w: number[];
  stride?: [number, number];
  padding?: [number, number];
  dilation?: [number, number];
  bias?: boolean;
}

const convCases: ConvCase[] = [
  { x: [2, 3, 7, 6], w: [4, 3, 3, 3], bias: true },
  { x: [1, 2, 5, 5], w: [3, 2, 1, 1], bias: true },
  { x: [2, 1, 8, 7], w: [2, 1, 3, 2], stride: [2, 3], padding: [1, 2] },
  { x: [1, 2, 9, 9], w: [2, 2, 3, 3], dilation: [2, 2], padding: [2, 1], bias: true },
  { x: [1, 1, 3, 3], w: [1, 1, 3, 3] },
];

test.each(convCases)('conv2d %j', (c) => {
  const opts = { stride: c.stride ?? [1, 1], padding: c.padding ?? [0, 0], dilation: c.dilation ?? [1, 1] } as const;
  const specs = [{ shape: c.x }, { shape: c.w }, ...(c.bias ? [{ shape: [c.w[0]] }] : [])];
  gradcheck(
    (x, w, b) => F.conv2d(x, w, b, opts),
    (x, w, b) => ref.conv2d(x, w, b ?? null, opts.stride, opts.padding, opts.dilation),
    specs,
  );
});

interface GroupedCase extends ConvCase {
  groups: number;
}

const groupedCases: GroupedCase[] = [
  { x: [2, 4, 6, 5], w: [6, 2, 3, 3], groups: 2, padding: [1, 1], bias: true },                       // 2 groups
  { x: [1, 6, 7, 7], w: [3, 2, 3, 2], groups: 3, stride: [2, 1], padding: [1, 0], dilation: [1, 2] }, // 3 groups, one output each
  { x: [2, 5, 7, 6], w: [5, 1, 3, 3], groups: 5, padding: [1, 1], bias: true },                       // depthwise
  { x: [1, 3, 9, 8], w: [6, 1, 3, 3], groups: 3, stride: [2, 2], padding: [1, 1], bias: true },       // depthwise, multiplier 2, stride 2
  { x: [2, 2, 9, 9], w: [4, 1, 3, 2], groups: 2, dilation: [2, 2], padding: [2, 1] },                 // depthwise, dilation
  { x: [1, 4, 5, 5], w: [8, 2, 1, 1], groups: 2, bias: true },                                        // pointwise, grouped
];

test.each(groupedCases)('grouped conv2d %j', (c) => {
  const opts = { stride: c.stride ?? [1, 1], padding: c.padding ?? [0, 0], dilation: c.dilation ?? [1, 1], groups: c.groups } as const;
  const specs = [{ shape: c.x }, { shape: c.w }, ...(c.bias ? [{ shape: [c.w[0]] }] : [])];
  gradcheck(
    (x, w, b) => F.conv2d(x, w, b, opts),
    (x, w, b) => conv2dGroups(x, w, b ?? null, opts.stride, opts.padding, opts.dilation, c.groups),
    specs,
  );
});

interface TransposedCase {
  x: number[];
  w: number[];
  stride?: [number, number];
  padding?: [number, number];
  outputPadding?: [number, number];
  dilation?: [number, number];
  groups?: number;
  bias?: boolean;
}

const transposedCases: TransposedCase[] = [
  { x: [2, 3, 4, 3], w: [3, 2, 3, 3], bias: true },                                                  // plain
  { x: [1, 2, 3, 4], w: [2, 3, 3, 2], stride: [2, 3], padding: [1, 0], outputPadding: [1, 2] },      // strides, padding, output padding
  { x: [2, 4, 3, 3], w: [4, 1, 3, 3], stride: [2, 2], padding: [1, 1], outputPadding: [1, 0], groups: 4, bias: true }, // depthwise
  { x: [1, 4, 3, 4], w: [4, 3, 2, 3], stride: [1, 2], groups: 2, bias: true },                       // 2 groups, 3 outputs each
  { x: [1, 2, 4, 3], w: [2, 2, 3, 2], dilation: [2, 2], outputPadding: [1, 1], padding: [1, 1] },    // output padding from the dilation
  { x: [1, 3, 3, 3], w: [3, 2, 1, 1], stride: [2, 2], bias: true },                                  // 1×1 kernel
];

test.each(transposedCases)('convTranspose2d %j', (c) => {
  const opts = {
    stride: c.stride ?? [1, 1], padding: c.padding ?? [0, 0], outputPadding: c.outputPadding ?? [0, 0],
    dilation: c.dilation ?? [1, 1], groups: c.groups ?? 1,
  } as const;
  const specs = [{ shape: c.x }, { shape: c.w }, ...(c.bias ? [{ shape: [c.w[1] * opts.groups] }] : [])];
  gradcheck(
    (x, w, b) => F.convTranspose2d(x, w, b, opts),
    (x, w, b) => convTranspose2d(x, w, b ?? null, opts.stride, opts.padding, opts.outputPadding, opts.dilation, opts.groups),
    specs,
  );
});

test("conv2d padding 'same' keeps the size", () => {
  const y = F.conv2d(dd.randn([1, 2, 6, 5]), dd.randn([3, 2, 3, 3]), null, { padding: 'same' });
  expect(y.shape).toEqual([1, 3, 6, 5]);
  expect(() => F.conv2d(dd.randn([1, 2, 6, 5]), dd.randn([3, 2, 2, 2]), null, { padding: 'same' })).toThrow(/even total padding/);
});

test('conv2d errors name the shapes', () => {
  expect(() => F.conv2d(dd.zeros([1, 3, 5, 5]), dd.zeros([2, 4, 3, 3]))).toThrow('conv2d: input of shape [1,3,5,5] has 3 channels but weight of shape [2,4,3,3] expects 4');
  expect(() => F.conv2d(dd.zeros([3, 5, 5]), dd.zeros([2, 3, 3, 3]))).toThrow(/input must be 4-D/);
  expect(() => F.conv2d(dd.zeros([1, 1, 2, 2]), dd.zeros([1, 1, 3, 3]))).toThrow(/does not fit/);
  expect(() => F.conv2d(dd.zeros([1, 1, 5, 5]), dd.zeros([1, 1, 3, 3]), null, { stride: 0 })).toThrow(RangeError);
  expect(() => F.conv2d(dd.zeros([1, 1, 5, 5]), dd.zeros([1, 1, 3, 3]), dd.zeros([2]))).toThrow(/bias of shape \[2\]/);
  // Groups must divide the channels; the message names both counts.
  expect(() => F.conv2d(dd.zeros([1, 6, 5, 5]), dd.zeros([4, 2, 3, 3]), null, { groups: 4 })).toThrow('conv2d: input channels (6) must be divisible by groups (4)');
  expect(() => F.conv2d(dd.zeros([1, 6, 5, 5]), dd.zeros([4, 3, 3, 3]), null, { groups: 3 })).toThrow('conv2d: output channels (4) must be divisible by groups (3)');
  expect(() => F.conv2d(dd.zeros([1, 6, 5, 5]), dd.zeros([6, 3, 3, 3]), null, { groups: 3 })).toThrow(/has 6 channels \(2 per group of 3\) but weight of shape \[6,3,3,3\] expects 3/);
  expect(() => F.conv2d(dd.zeros([1, 2, 5, 5]), dd.zeros([2, 1, 3, 3]), null, { groups: 0 })).toThrow(/conv2d: groups must be an integer >= 1, got 0/);
  expect(() => F.conv2d(dd.zeros([1, 2, 5, 5]), dd.zeros([2, 1, 3, 3]), null, { groups: 1.5 })).toThrow(RangeError);
  expect(() => F.conv2d(dd.zeros([1, 2, 5, 5]), dd.zeros([2, 1, 3, 3]), null, { group: 2 } as never)).toThrow(/conv2d: unknown option "group" \(did you mean "groups"/);
});

test('convTranspose2d errors name what is wrong', () => {
  const T = F.convTranspose2d;
  expect(() => T(dd.zeros([1, 2, 4, 4]), dd.zeros([2, 1, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(
    'convTranspose2d: outputPadding [2, 2] must be smaller than either the stride [2, 2] or the dilation [1, 1] on each axis');
  expect(() => T(dd.zeros([1, 2, 4, 4]), dd.zeros([2, 1, 3, 3]), null, { outputPadding: 1 })).toThrow(/outputPadding \[1, 1\] must be smaller/);
  expect(T(dd.zeros([1, 2, 4, 4]), dd.zeros([2, 1, 3, 3]), null, { outputPadding: 1, dilation: 2 }).shape).toEqual([1, 1, 9, 9]);
  expect(() => T(dd.zeros([1, 3, 4, 4]), dd.zeros([3, 1, 3, 3]), null, { groups: 2 })).toThrow('convTranspose2d: input channels (3) must be divisible by groups (2)');
  expect(() => T(dd.zeros([1, 3, 4, 4]), dd.zeros([2, 1, 3, 3]))).toThrow(/has 3 channels but weight of shape \[2,1,3,3\] expects 2/);
  expect(() => T(dd.zeros([1, 1, 1, 1]), dd.zeros([1, 1, 1, 1]), null, { padding: 1 })).toThrow(/output would be -1x-1/);
  expect(() => T(dd.zeros([1, 2, 4, 4]), dd.zeros([2, 1, 3, 3]), dd.zeros([2]))).toThrow(/bias of shape \[2\] does not match 1 output channels/);
  expect(() => T(dd.zeros([1, 2, 4, 4]), dd.zeros([2, 1, 3, 3]), null, { output_padding: 1 } as never)).toThrow(/unknown option "output_padding"/);
  expect(() => T(dd.zeros([2, 4, 4]), dd.zeros([2, 1, 3, 3]))).toThrow(/input must be 4-D/);
});

const poolCases: Array<{ x: number[]; k: [number, number]; s?: [number, number]; p?: [number, number] }> = [
  { x: [2, 3, 6, 6], k: [2, 2] },
  { x: [1, 2, 7, 5], k: [3, 2], s: [2, 1], p: [1, 1] },
  { x: [1, 1, 5, 5], k: [3, 3], s: [1, 1], p: [1, 0] },
];

test.each(poolCases)('maxPool2d and avgPool2d %j', (c) => {
  const stride = c.s ?? c.k, pad = c.p ?? [0, 0];
  gradcheck((x) => F.maxPool2d(x, c.k, c.s, pad), (x) => ref.pool2d(x, c.k, stride, pad, 'max'), [{ shape: c.x }]);
  gradcheck((x) => F.avgPool2d(x, c.k, c.s, pad), (x) => ref.pool2d(x, c.k, stride, pad, 'avg'), [{ shape: c.x }]);
  gradcheck((x) => F.avgPool2d(x, c.k, c.s, pad, false), (x) => ref.pool2d(x, c.k, stride, pad, 'avg', false), [{ shape: c.x }]);
});

describe('dropout', () => {
  test('keeps with probability 1 - p, scales by 1/(1 - p), and backpropagates through the same mask', () => {
    dd.manualSeed(3);
    const x = dd.ones([200, 50], { requiresGrad: true });
    const y = F.dropout(x, 0.3);
    const kept = y.data.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(kept.length / y.numel).toBeGreaterThan(0.67);
    expect(kept.length / y.numel).toBeLessThan(0.73);
    const w = dd.randn([200, 50]);
    y.mul(w).sum().backward();
    x.grad!.data.forEach((g, i) => expect(g).toBeCloseTo(y.data[i] * w.data[i], 5));
  });
  test('is reproducible with manualSeed and differs between calls', () => {
    dd.manualSeed(11);
    const a = F.dropout(dd.ones([1000]), 0.5).data.slice();
    const b = F.dropout(dd.ones([1000]), 0.5).data.slice();
    dd.manualSeed(11);
    const c = F.dropout(dd.ones([1000]), 0.5).data.slice();
    expect(c).toEqual(a);
    expect(b).not.toEqual(a);
  });
  test('evaluation mode and p = 0 are the identity; p = 1 gives zeros with zero gradient', () => {
    const x = dd.randn([4, 4], { requiresGrad: true });
    expect(F.dropout(x, 0.5, false)).toBe(x);
    expect(F.dropout(x, 0)).toBe(x);
    const z = F.dropout(x, 1);
    expect(z.data.every((v) => v === 0)).toBe(true);
    z.sum().backward();
    expect(x.grad!.data.every((v) => v === 0)).toBe(true);
  });
  test('dropout2d drops whole channels', () => {
    dd.manualSeed(5);
    const x = dd.ones([4, 8, 3, 3], { requiresGrad: true });
    const y = F.dropout2d(x, 0.5);
    const planes = y.reshape([32, 9]).toArray() as number[][];
    for (const p of planes) expect(new Set(p).size).toBe(1);
    expect(new Set(planes.map((p) => p[0]))).toEqual(new Set([0, 2]));
    y.sum().backward();
    expect(x.grad!.data).toEqual(y.data);
  });
  test('bad p is a RangeError', () => {
    expect(() => F.dropout(dd.ones([2]), 1.5)).toThrow(RangeError);
    expect(() => F.dropout(dd.ones([2]), NaN)).toThrow(RangeError);
    expect(() => F.dropout2d(dd.ones([2]), 0.5)).toThrow(/dropout2d: input must be \[N, C, \.\.\.\]/);
  });
});
