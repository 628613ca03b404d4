/**
 * @jest-environment ./test/io/support/onnx-environment.js
 */
/**
 * ONNX export of the pooling and resizing layers, run in onnxruntime-node
 * against dendrite's outputs: ceil mode (windows past the padding included),
 * adaptive pools as global or plain window pools, GlobalAvgPool2d, and
 * Upsample as Resize by sizes or by scale factors. Layers ONNX cannot express
 * are refused with the reason. When onnxruntime-node cannot load, the parity
 * tests skip with a message.
 */
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';
import { all, first, readFields, str, sub } from './support/protobuf-reader';

const { nn } = dd;

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the tests skip when it cannot load
  ort = require('onnxruntime-node') as Ort;
} catch (e) {
  console.log(`ONNX pooling tests skipped: onnxruntime-node cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}
const withOrt = ort !== undefined ? test : test.skip;

/** The operators of an exported model, in order. */
function operators(model: dd.nn.Module, sample: number[]): string[] {
  const graph = sub(first(readFields(dd.io.toOnnx(model, { inputShape: sample })), 7));
  return all(graph, 1).map((n) => str(first(sub(n), 4)));
}

/** Runs the export in onnxruntime at batch 1 and 3; outputs must match dendrite's within 1e-5. */
async function expectParity(model: dd.nn.Module, sample: number[], opset?: number): Promise<void> {
  const bytes = dd.io.toOnnx(model, { inputShape: sample, opset });
  const session = await ort!.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const rng = new TestRandom(sample.reduce((a, b) => a * b, 7));
  for (const batch of [1, 3]) {
    const shape = [batch, ...sample];
    const x = dd.tensor(rng.float32(shape.reduce((a, b) => a * b, 1), -2, 2), shape);
    const want = dd.noGrad(() => model.eval().call(x));
    const got = (await session.run({ input: new ort!.Tensor('float32', x.data.slice(), shape) })).output;
    expect(got.dims).toEqual(want.shape);
    const data = got.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < want.numel; i++) worst = Math.max(worst, Math.abs(data[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i])));
    expect(worst).toBeLessThanOrEqual(1e-5);
  }
}

describe('window pools in ceil mode', () => {
  const cases: Array<[string, () => dd.nn.Module, number[]]> = [
    ['MaxPool2d, odd sizes', () => new nn.MaxPool2d(2, { ceilMode: true }), [2, 5, 7]],
    ['MaxPool2d, padded, the last window dropped', () => new nn.MaxPool2d(2, { padding: 1, ceilMode: true }), [1, 5, 5]],
    ['MaxPool2d, dilated', () => new nn.MaxPool2d([3, 2], { stride: [2, 1], padding: 1, dilation: [2, 3], ceilMode: true }), [2, 9, 8]],
    ['AvgPool2d, windows past the padding', () => new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [2, 6, 6]],
    ['AvgPool2d, padding excluded', () => new nn.AvgPool2d([2, 3], { stride: [2, 3], padding: 1, ceilMode: true, countIncludePad: false }), [1, 5, 8]],
  ];
  withOrt.each(cases)('%s gives dendrite’s outputs in onnxruntime', async (_name, make, sample) => {
    await expectParity(make(), sample);
  });
});

describe('adaptive and global pools', () => {
  test('global when the output is 1×1, a window pool when it divides the input, refused otherwise', () => {
    expect(operators(new nn.AdaptiveAvgPool2d(1), [3, 5, 7])).toEqual(['GlobalAveragePool']);
    expect(operators(new nn.AdaptiveMaxPool2d(1), [3, 5, 7])).toEqual(['GlobalMaxPool']);
    expect(operators(new nn.AdaptiveAvgPool2d([2, null]), [3, 6, 7])).toEqual(['AveragePool']);
    expect(operators(new nn.AdaptiveMaxPool2d([3, 2]), [3, 6, 8])).toEqual(['MaxPool']);
    expect(operators(new nn.GlobalAvgPool2d(), [3, 4, 4])).toEqual(['GlobalAveragePool', 'Flatten']);
    expect(operators(new nn.GlobalAvgPool2d({ keepDims: true }), [3, 4, 4])).toEqual(['GlobalAveragePool']);
    const model = new nn.Sequential(new nn.Conv2d(3, 4, 3), new nn.AdaptiveAvgPool2d([2, 2]));
    expect(() => dd.io.toOnnx(model, { inputShape: [3, 7, 7] }))
      .toThrow(/exportOnnx: 1 \(AdaptiveAvgPool2d\) pools \[5, 5\] to \[2, 2\], which does not divide it: its bins overlap/);
    expect(() => dd.io.toOnnx(new nn.AdaptiveMaxPool2d(3), { inputShape: [1, 4, 6] })).toThrow(/the model \(AdaptiveMaxPool2d\) pools \[4, 6\] to \[3, 3\]/);
  });

  const cases: Array<[string, () => dd.nn.Module, number[]]> = [
    ['AdaptiveAvgPool2d to [3, 2]', () => new nn.AdaptiveAvgPool2d([3, 2]), [2, 9, 8]],
    ['AdaptiveMaxPool2d to [2, null]', () => new nn.AdaptiveMaxPool2d([2, null]), [2, 6, 5]],
    ['AdaptiveAvgPool2d to 1', () => new nn.AdaptiveAvgPool2d(1), [3, 5, 7]],
    ['GlobalAvgPool2d after a convolution', () => new nn.Sequential(new nn.Conv2d(2, 4, 3), new nn.GlobalAvgPool2d(), new nn.Linear(4, 3)), [2, 6, 7]],
  ];
  withOrt.each(cases)('%s gives dendrite’s outputs in onnxruntime', async (_name, make, sample) => {
    dd.manualSeed(4);
    await expectParity(make(), sample);
  });
});

describe('Upsample as Resize', () => {
  test('sizes from the input’s own batch and channels, or the scale factors torch’s coordinates use', () => {
    expect(operators(new nn.Upsample({ size: [5, 6] }), [2, 3, 4])).toEqual(['Shape', 'Slice', 'Concat', 'Resize']);
    expect(operators(new nn.Upsample({ scaleFactor: 1.5 }), [2, 4, 4])).toEqual(['Resize']);
    expect(operators(new nn.Upsample({ scaleFactor: 1.5, recomputeScaleFactor: true }), [2, 4, 4])).toEqual(['Shape', 'Slice', 'Concat', 'Resize']);
    // 30·2.1 is 63 in double but 62 in float32: Resize would give another size, so the export refuses.
    expect(() => dd.io.toOnnx(new nn.Upsample({ scaleFactor: 2.1 }), { inputShape: [1, 30, 30] }))
      .toThrow(/exportOnnx: the model \(Upsample\): scaleFactor 2.1 on height 30 gives 63 .* but 62 in ONNX Resize/);
  });

  const cases: Array<[string, () => dd.nn.Module, number[]]> = [
    ['nearest by size, up and down', () => new nn.Upsample({ size: [8, 3] }), [2, 5, 7]],
    ['nearest by scale factor', () => new nn.Upsample({ scaleFactor: [1.5, 0.5] }), [2, 4, 6]],
    ['nearest, twice the input by 2.25 (torch halves the index)', () => new nn.Upsample({ scaleFactor: [2.25, 1] }), [1, 4, 3]],
    ['bilinear by size', () => new nn.Upsample({ size: [7, 4], mode: 'bilinear' }), [2, 3, 5]],
    ['bilinear by scale factor (1/scale is not in/out)', () => new nn.Upsample({ scaleFactor: [0.75, 1.75], mode: 'bilinear' }), [2, 5, 6]],
    ['bilinear, corners aligned', () => new nn.Upsample({ size: [9, 1], mode: 'bilinear', alignCorners: true }), [2, 4, 3]],
    ['bilinear to one row', () => new nn.Upsample({ size: [1, 5], mode: 'bilinear' }), [1, 4, 3]],
  ];
  withOrt.each(cases)('%s gives dendrite’s outputs in onnxruntime', async (_name, make, sample) => {
    await expectParity(make(), sample);
  });

  withOrt('in a CNN, at opset 13 and 20', async () => {
    dd.manualSeed(5);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(3, { stride: 2, ceilMode: true }),
      new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }), new nn.AdaptiveAvgPool2d([5, 5]), new nn.Flatten(), new nn.Linear(75, 2),
    );
    for (const opset of [13, 20]) await expectParity(model, [1, 11, 11], opset);
  });
});
