/**
 * @jest-environment ./test/io/support/onnx-environment.js
 */
/**
 * Transposed convolutions: F.convTranspose2d against PyTorch's float64
 * results (forward and every gradient, every ISA), nn.ConvTranspose2d's
 * shapes, initialisation and errors, saveModel/loadModel, and ONNX
 * ConvTranspose export run in onnxruntime.
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

describe('F.convTranspose2d matches PyTorch (float64) in the output and every gradient', () => {
  test('strides 2 and 3, padding, output padding, 2 groups', () => {
    expectTorchResults(cases, 'transposed', (x, w, b) => F.convTranspose2d(x, w, b, { stride: [2, 3], padding: [1, 2], outputPadding: [1, 2], groups: 2 }));
  });
  test('output padding 1 at stride 1, allowed by dilation 2', () => {
    expectTorchResults(cases, 'transposed_dilated', (x, w, b) => F.convTranspose2d(x, w, b, { outputPadding: 1, dilation: 2 }));
  });
  test('depthwise upsampling by 2', () => {
    expectTorchResults(cases, 'transposed_depthwise', (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 4 }));
  });
});

describe('nn.ConvTranspose2d', () => {
  test('weight [in, out/groups, kh, kw], PyTorch output size and init, and the functional form', () => {
    dd.manualSeed(4);
    const up = new nn.ConvTranspose2d(4, 6, [3, 2], { stride: 2, padding: [1, 0], outputPadding: [1, 0], groups: 2, dilation: [1, 2] });
    expect(up.weight.shape).toEqual([4, 3, 3, 2]);
    expect(up.bias!.shape).toEqual([6]);
    const x = dd.randn([2, 4, 5, 3]);
    const y = up.forward(x);
    // (5 − 1)·2 − 2·1 + 1·2 + 1 + 1 = 10 rows; (3 − 1)·2 − 0 + 2·1 + 0 + 1 = 7 columns
    expect(y.shape).toEqual([2, 6, 10, 7]);
    const want = F.convTranspose2d(x, up.weight, up.bias, { stride: 2, padding: [1, 0], outputPadding: [1, 0], groups: 2, dilation: [1, 2] });
    expect(Array.from(y.data)).toEqual(Array.from(want.data));
    // PyTorch's default init: fanIn = weight.shape[1]·kh·kw = 3·3·2.
    expect(Math.max(...Array.from(up.bias!.data, Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(18));
    expect(up.toString()).toMatch(/ConvTranspose2d\(4, 6, kernelSize=\[3,2\], stride=\[2,2\], padding=\[1,0\], outputPadding=\[1,0\], groups=2, dilation=\[1,2\]\)/);
    expect(new nn.ConvTranspose2d(2, 2, 3, { bias: false }).bias).toBeNull();
  });

  test('bad options are errors at construction, naming what is wrong', () => {
    expect(() => new nn.ConvTranspose2d(4, 4, 3, { stride: 2, outputPadding: 2 })).toThrow(
      'ConvTranspose2d: outputPadding [2,2] must be smaller than either the stride [2,2] or the dilation [1,1] on each axis');
    expect(() => new nn.ConvTranspose2d(4, 4, 3, { outputPadding: [0, 1] })).toThrow(/outputPadding \[0,1\] must be smaller/);
    expect(() => new nn.ConvTranspose2d(6, 4, 3, { groups: 4 })).toThrow('ConvTranspose2d: inChannels (6) must be divisible by groups (4)');
    expect(() => new nn.ConvTranspose2d(6, 4, 3, { groups: 3 })).toThrow('ConvTranspose2d: outChannels (4) must be divisible by groups (3)');
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: 'circular' as never })).toThrow(/paddingMode "circular" is not supported/);
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { output_padding: 1 } as never)).toThrow(/ConvTranspose2d: unknown option "output_padding"/);
    expect(() => new nn.ConvTranspose2d(2, 0, 3)).toThrow(/outChannels must be a positive integer/);
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { padding: 'same' as never })).toThrow(/padding must be an integer >= 0/);
  });

  test('trains: gradients reach the weight, the bias and the input', () => {
    dd.manualSeed(6);
    const up = new nn.ConvTranspose2d(3, 2, 4, { stride: 2, padding: 1 });
    const x = dd.randn([2, 3, 4, 4], { requiresGrad: true });
    up.forward(x).square().mean().backward();
    for (const g of [up.weight.grad, up.bias!.grad, x.grad]) expect(g!.data.some((v) => v !== 0)).toBe(true);
  });
});

describe('saveModel / loadModel of ConvTranspose2d', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-conv-transpose-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every option is written and read back; the outputs are bit for bit the same', async () => {
    dd.manualSeed(7);
    const model = new nn.Sequential(
      new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), new nn.ReLU(),
      new nn.ConvTranspose2d(6, 2, [2, 3], { dilation: 2, outputPadding: [1, 0], bias: false }),
    );
    const config = dd.io.describeModel(model).model.config as { layers: Array<{ type: string; config: Record<string, unknown> }> };
    expect(config.layers[0]).toEqual({
      type: 'ConvTranspose2d',
      config: { inChannels: 4, outChannels: 6, kernelSize: [3, 3], stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], groups: 2, dilation: [1, 1], bias: true },
    });
    const x = dd.randn([2, 4, 5, 4]);
    const want = dd.noGrad(() => model.eval().call(x));
    await dd.saveModel(model, dir);
    const back = await dd.loadModel(dir);
    expect(back.toString()).toBe(model.toString());
    expect(Buffer.from(dd.noGrad(() => back.call(x)).data.buffer).equals(Buffer.from(want.data.buffer))).toBe(true);
  });

  test('impossible descriptions are format errors naming the problem', () => {
    const describe = (config: Record<string, unknown>) => JSON.stringify({
      format: 'dendrite.model', version: 1,
      model: {
        type: 'ConvTranspose2d',
        config: { inChannels: 4, outChannels: 4, kernelSize: [3, 3], stride: [1, 1], padding: [0, 0], outputPadding: [0, 0], groups: 1, dilation: [1, 1], bias: true, ...config },
      },
    });
    expect(() => dd.io.modelFromDescription(describe({}))).not.toThrow();
    expect(() => dd.io.modelFromDescription(describe({ outputPadding: [1, 1] }))).toThrow(dd.io.ModelFormatError);
    expect(() => dd.io.modelFromDescription(describe({ outputPadding: [1, 1] }))).toThrow(/outputPadding \[1,1\] must be smaller/);
    expect(() => dd.io.modelFromDescription(describe({ groups: 3 }))).toThrow(/config.groups \(3\) must divide inChannels \(4\)/);
    expect(() => dd.io.modelFromDescription(describe({ stride: 2 }))).toThrow(/config.stride must be a pair/);
  });
});

withOnnxRuntime('ConvTranspose2d exports to ONNX ConvTranspose and runs in onnxruntime', async () => {
  dd.manualSeed(8);
  const model = new nn.Sequential(
    new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), new nn.ReLU(),
    new nn.ConvTranspose2d(6, 6, 3, { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 6 }),
    // Output padding 1 at stride 1 (dilation 2), beyond the padding and within it:
    // onnxruntime needs it written as ConvTranspose, Pad and Add.
    new nn.ConvTranspose2d(6, 3, [2, 3], { dilation: 2, outputPadding: 1 }),
    new nn.ConvTranspose2d(3, 3, 3, { dilation: 2, padding: [1, 0], outputPadding: 1, groups: 3, bias: false }),
  );
  await expectOnnxParity(model, [4, 5, 4], [1, 2]);
});
