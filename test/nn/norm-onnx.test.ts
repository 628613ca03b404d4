/**
 * @jest-environment ./test/io/support/onnx-environment.js
 */
/**
 * ONNX export of the normalization layers, run in onnxruntime-node against
 * dendrite's evaluation-mode outputs: batch norm as BatchNormalization with
 * trained running statistics (and spelled out without them), layer norm as
 * LayerNormalization from opset 17 and spelled out before it (ReduceMean's
 * axes an attribute before opset 18, an input from it), local response norm
 * as LRN where ONNX's window is PyTorch's and spelled out where it is not.
 */
import * as dd from '../../ts';
import { all, first, readFields, str, sub } from '../io/support/protobuf-reader';
import { TestRandom } from '../support/random';

const { nn } = dd;

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the tests skip when it cannot load
  ort = require('onnxruntime-node') as Ort;
} catch (e) {
  console.log(`ONNX norm tests skipped: onnxruntime-node cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}
const withOrt = ort !== undefined ? test : test.skip;

/** The operator types of an exported model, in order. */
function operators(bytes: Uint8Array): string[] {
  const graph = sub(first(readFields(bytes), 7));
  return all(graph, 1).map((n) => str(first(sub(n), 4)));
}

/** Exports `model` at `opset`, runs it in onnxruntime at each batch size, and compares with dendrite (evaluation mode). */
async function expectParity(model: dd.nn.Module, sampleShape: number[], opset: number, batches = [1, 3]): Promise<string[]> {
  const bytes = dd.io.toOnnx(model, { inputShape: sampleShape, opset });
  model.eval();
  const session = await ort!.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const rng = new TestRandom(opset);
  for (const n of batches) {
    const x = dd.tensor(rng.float32(n * sampleShape.reduce((a, b) => a * b, 1), -2, 3), [n, ...sampleShape]);
    const want = dd.noGrad(() => model.call(x));
    const out = (await session.run({ input: new ort!.Tensor('float32', x.data.slice(), [...x.shape]) })).output;
    expect(out.dims).toEqual(want.shape);
    const got = out.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < want.numel; i++) worst = Math.max(worst, Math.abs(got[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i])));
    expect({ opset, n, worst: worst <= 1e-4 ? 'within 1e-4' : worst }).toEqual({ opset, n, worst: 'within 1e-4' });
  }
  return operators(bytes);
}

/** A small CNN whose batch norm layers have trained running statistics. */
function trainedCnn(): dd.nn.Sequential {
  dd.manualSeed(21);
  const model = new nn.Sequential(
    new nn.Conv2d(2, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.LocalResponseNorm(3, { alpha: 0.2, k: 2 }),
    new nn.Flatten(), new nn.Linear(4 * 5 * 5, 6), new nn.BatchNorm1d(6, { momentum: null }), new nn.LayerNorm(6), new nn.Linear(6, 3),
  );
  for (let i = 0; i < 3; i++) dd.noGrad(() => model.call(dd.randn([8, 2, 5, 5]).add(1)));
  return model;
}

withOrt('a CNN with BatchNorm2d, LRN, BatchNorm1d and LayerNorm, at opsets 13, 17 and 18', async () => {
  const model = trainedCnn();
  expect(await expectParity(model, [2, 5, 5], 17)).toEqual(
    ['Conv', 'BatchNormalization', 'Relu', 'LRN', 'Flatten', 'Gemm', 'BatchNormalization', 'LayerNormalization', 'Gemm'],
  );
  const before17 = await expectParity(model, [2, 5, 5], 13);
  expect(before17).not.toContain('LayerNormalization');
  expect(before17).toContain('ReduceMean');
  expect(await expectParity(model, [2, 5, 5], 18)).toContain('LayerNormalization');
});

withOrt('layer norm over several axes, with and without affine, spelled out at opsets 13 and 16', async () => {
  for (const opset of [13, 16, 17, 21]) {
    await expectParity(new nn.Sequential(new nn.LayerNorm([3, 4], { eps: 1e-3 })), [2, 3, 4], opset);
    await expectParity(new nn.Sequential(new nn.LayerNorm(4, { elementwiseAffine: false })), [3, 4], opset);
    await expectParity(new nn.Sequential(new nn.LayerNorm(4, { bias: false })), [3, 4], opset);
  }
});

withOrt('batch norm without running statistics normalizes by the batch in onnxruntime too (ReduceMean at opsets 13 and 18)', async () => {
  for (const opset of [13, 18]) {
    const ops = await expectParity(new nn.BatchNorm2d(3, { trackRunningStats: false }), [3, 4, 4], opset, [1, 2]);
    expect(ops).not.toContain('BatchNormalization');
  }
});

withOrt("local response norm: LRN for odd sizes on 4-D input, PyTorch's window spelled out for even sizes and other ranks", async () => {
  expect(await expectParity(new nn.LocalResponseNorm(5, { alpha: 0.5, k: 1.5 }), [7, 3, 3], 17)).toEqual(['LRN']);
  for (const [size, shape] of [[4, [6, 3, 3]], [2, [5, 4]], [3, [5, 4]], [6, [4, 2, 2, 2]]] as Array<[number, number[]]>) {
    const ops = await expectParity(new nn.LocalResponseNorm(size, { alpha: 0.5, beta: 0.6, k: 1.5 }), shape, 17);
    expect(ops).toContain('AveragePool');
  }
});
