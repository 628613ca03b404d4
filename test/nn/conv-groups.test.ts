/**
 * @jest-environment ./test/io/support/onnx-environment.js
 */
/**
 * Grouped and depthwise convolutions: F.conv2d against PyTorch's float64
 * results (forward and every gradient, every ISA), nn.Conv2d's groups and
 * string paddings, their errors, saveModel/loadModel of them (and of
 * descriptions written before groups existed), and ONNX export run in
 * onnxruntime.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { expectOnnxParity, expectTorchResults, torchCases, TorchCases, withOnnxRuntime } from './support/conv-layers';

const { nn } = dd;
const F = nn.functional;

let cases: TorchCases;
beforeAll(async () => {
  cases = await torchCases();
});

describe('F.conv2d with groups matches PyTorch (float64) in the output and every gradient', () => {
  test('3 groups, unequal stride and padding', () => {
    expectTorchResults(cases, 'grouped', (x, w, b) => F.conv2d(x, w, b, { stride: [1, 2], padding: [1, 0], groups: 3 }));
  });
  test('2 groups of 8 channels (Winograd per group)', () => {
    expectTorchResults(cases, 'grouped_winograd', (x, w, b) => F.conv2d(x, w, b, { padding: 1, groups: 2 }));
  });
  test('depthwise 3x3', () => {
    expectTorchResults(cases, 'depthwise', (x, w, b) => F.conv2d(x, w, b, { padding: 1, groups: 8 }));
  });
  test('depthwise with multiplier 2, stride 2 and dilation', () => {
    expectTorchResults(cases, 'depthwise_multiplier', (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1, dilation: [1, 2], groups: 4 }));
  });
});

describe('nn.Conv2d', () => {
  test('groups give a weight [out, in/groups, kh, kw] and the functional form', () => {
    dd.manualSeed(1);
    const conv = new nn.Conv2d(6, 9, [3, 2], { groups: 3, stride: 2, padding: 1 });
    expect(conv.weight.shape).toEqual([9, 2, 3, 2]);
    expect(conv.groups).toBe(3);
    const x = dd.randn([2, 6, 7, 8]);
    const want = F.conv2d(x, conv.weight, conv.bias, { groups: 3, stride: 2, padding: 1 });
    expect(Array.from(conv.forward(x).data)).toEqual(Array.from(want.data));
    expect(conv.toString()).toMatch(/groups=3/);
    // PyTorch's default init bounds: fanIn = in/groups·kh·kw = 12.
    expect(Math.max(...Array.from(conv.bias!.data, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(12));
  });

  test("padding 'same' keeps the size, 'valid' pads nothing", () => {
    const same = new nn.Conv2d(4, 4, 5, { padding: 'same', groups: 4, dilation: 2 });
    expect(same.padding).toBe('same');
    expect(same.zeroPadding()).toEqual([4, 4]);
    expect(same.forward(dd.randn([1, 4, 9, 11])).shape).toEqual([1, 4, 9, 11]);
    expect(same.toString()).toMatch(/padding='same'/);
    const valid = new nn.Conv2d(2, 3, 3, { padding: 'valid' });
    expect(valid.forward(dd.randn([1, 2, 6, 6])).shape).toEqual([1, 3, 4, 4]);
  });

  test('bad options are errors at construction, naming what is wrong', () => {
    expect(() => new nn.Conv2d(6, 8, 3, { groups: 4 })).toThrow('Conv2d: inChannels (6) must be divisible by groups (4)');
    expect(() => new nn.Conv2d(6, 8, 3, { groups: 3 })).toThrow('Conv2d: outChannels (8) must be divisible by groups (3)');
    expect(() => new nn.Conv2d(6, 6, 3, { groups: 0 })).toThrow(/Conv2d: groups must be an integer >= 1, got 0/);
    expect(() => new nn.Conv2d(2, 2, 3, { padding: 'same', stride: 2 })).toThrow(/Conv2d: padding 'same' needs stride 1/);
    expect(() => new nn.Conv2d(2, 2, 2, { padding: 'same' })).toThrow(/Conv2d: padding 'same' needs an even total padding/);
    expect(() => new nn.Conv2d(2, 2, 3, { padding: 'full' as never })).toThrow(/Conv2d: padding must be an integer >= 0, a pair of them, 'same' or 'valid', got "full"/);
    expect(() => new nn.Conv2d(2, 2, 3, { paddingMode: 'reflect' as never })).toThrow(/Conv2d: paddingMode "reflect" is not supported; only 'zeros' is/);
    expect(new nn.Conv2d(2, 2, 3, { paddingMode: 'zeros' }).paddingMode).toBe('zeros');
    expect(() => new nn.Conv2d(2, 2, 3, { group: 2 } as never)).toThrow(/did you mean "groups"/);
  });
});

describe('saveModel / loadModel of grouped convolutions', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-conv-groups-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("groups and 'same' are written and read back; the outputs are bit for bit the same", async () => {
    dd.manualSeed(2);
    const model = new nn.Sequential(
      new nn.Conv2d(4, 8, 3, { groups: 2, padding: 'same' }), new nn.ReLU(), new nn.Conv2d(8, 8, 3, { groups: 8, padding: 'valid', bias: false }),
    );
    const config = dd.io.describeModel(model).model.config as { layers: Array<{ config: Record<string, unknown> }> };
    expect(config.layers[0].config).toMatchObject({ groups: 2, padding: 'same' });
    expect(config.layers[2].config).toMatchObject({ groups: 8, padding: 'valid', bias: false });
    const x = dd.randn([2, 4, 6, 5]);
    const want = dd.noGrad(() => model.eval().call(x));
    await dd.saveModel(model, dir);
    const back = (await dd.loadModel(dir)) as dd.nn.Sequential;
    expect((back.at(0) as dd.nn.Conv2d).groups).toBe(2);
    expect((back.at(0) as dd.nn.Conv2d).padding).toBe('same');
    expect(Buffer.from(dd.noGrad(() => back.call(x)).data.buffer).equals(Buffer.from(want.data.buffer))).toBe(true);
  });

  test('descriptions without groups (written before they existed) load with groups 1', () => {
    const old = {
      format: 'dendrite.model', version: 1,
      model: { type: 'Conv2d', config: { inChannels: 2, outChannels: 3, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], bias: true } },
    };
    const conv = dd.io.modelFromDescription(JSON.stringify(old)) as dd.nn.Conv2d;
    expect(conv.groups).toBe(1);
    expect(conv.padding).toEqual([1, 1]);
    expect(conv.weight.shape).toEqual([3, 2, 3, 3]);
    // And an ungrouped layer is still written without the key.
    expect(dd.io.describeModel(conv).model.config).not.toHaveProperty('groups');
  });

  test('descriptions with impossible groups or paddings are format errors naming the option', () => {
    const describe = (config: Record<string, unknown>) => JSON.stringify({
      format: 'dendrite.model', version: 1,
      model: { type: 'Conv2d', config: { inChannels: 6, outChannels: 4, kernelSize: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], ...config } },
    });
    expect(() => dd.io.modelFromDescription(describe({ groups: 4 }))).toThrow(/config.groups \(4\) must divide inChannels \(6\)/);
    expect(() => dd.io.modelFromDescription(describe({ groups: 0 }))).toThrow(/config.groups must be an integer/);
    expect(() => dd.io.modelFromDescription(describe({ padding: 'full' }))).toThrow(/config.padding must be a pair \[a, b\] of integers >= 0 or one of same, valid/);
    expect(() => dd.io.modelFromDescription(describe({ padding: 'same', kernelSize: [2, 2] }))).toThrow(dd.io.ModelFormatError);
  });
});

withOnnxRuntime("grouped, depthwise and 'same' convolutions export to ONNX Conv with group and run in onnxruntime", async () => {
  dd.manualSeed(3);
  const model = new nn.Sequential(
    new nn.Conv2d(4, 8, 3, { groups: 2, padding: 'same' }), new nn.ReLU(),
    new nn.Conv2d(8, 16, 3, { groups: 8, padding: 'same', dilation: 2 }),
    new nn.Conv2d(16, 12, 1, { groups: 4 }),
    new nn.Conv2d(12, 12, 3, { groups: 12, stride: 2, padding: 1, bias: false }),
  );
  await expectOnnxParity(model, [4, 9, 10], [1, 3]);
});
