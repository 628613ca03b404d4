/**
 * @jest-environment ./test/io/support/onnx-environment.js
 */
/**
 * ONNX export. The encoding is checked field by field with an independent
 * protobuf reader; the numbers are checked by running the exported graphs in
 * onnxruntime-node (a devDependency) against dendrite's own outputs: the W6
 * MLP and W7 CNN of WORKLOADS.md and every layer type, at several batch
 * sizes (the batch axis is dynamic). When onnxruntime-node cannot load, the
 * parity tests skip with a message.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';
import { inputFor, LAYER_CASES } from './layer-cases';
import { all, first, int, readFields, str, sub } from './support/protobuf-reader';
import { w6Mlp, w7Cnn } from './workloads';

const { nn } = dd;

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the tests skip when it cannot load
  ort = require('onnxruntime-node') as Ort;
} catch (e) {
  console.log(`ONNX parity tests skipped: onnxruntime-node cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}
const withOrt = ort !== undefined ? test : test.skip;

/** Runs an exported model in onnxruntime on `x`; returns the output's data and dims. */
async function runOrt(bytes: Uint8Array, x: dd.Tensor): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort!.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const input = x.dtype === 'int32' ? new ort!.Tensor('int32', x.int32Data.slice(), [...x.shape]) : new ort!.Tensor('float32', x.data.slice(), [...x.shape]);
  const out = await session.run({ input });
  const y = out.output;
  return { data: y.data as Float32Array, dims: y.dims };
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (!(err <= worst)) worst = err; // NaN-safe: a NaN makes worst NaN
  }
  expect(worst).toBeLessThanOrEqual(tolerance);
}

async function checkParity(model: dd.nn.Module, sampleShape: number[], batches: number[], opset?: number, seed = 1): Promise<void> {
  const bytes = dd.io.toOnnx(model, { inputShape: sampleShape, opset });
  model.eval();
  const rng = new TestRandom(seed);
  for (const n of batches) {
    const x = dd.tensor(rng.float32(n * sampleShape.reduce((a, b) => a * b, 1)), [n, ...sampleShape]);
    const want = dd.noGrad(() => model.call(x));
    const got = await runOrt(bytes, x);
    expect(got.dims).toEqual(want.shape);
    expectClose(got.data, want.data);
  }
}

// Built once: initialising half a million weights is slow under jest's module sandbox.
let mlp: dd.nn.Sequential | undefined;
function w6(): dd.nn.Sequential {
  if (mlp === undefined) {
    dd.manualSeed(6);
    mlp = w6Mlp();
  }
  return mlp;
}

withOrt('the W6 MLP (784-512-256-10, ReLU, dropout) gives dendrite’s outputs in onnxruntime at batch 1 and 7', async () => {
  await checkParity(w6(), [784], [1, 7]);
});

withOrt('the W7 CNN gives dendrite’s outputs in onnxruntime at batch 1 and 3', async () => {
  dd.manualSeed(7);
  await checkParity(w7Cnn(), [1, 28, 28], [1, 3]);
});

describe.each(LAYER_CASES)('$name', (c) => {
  withOrt('runs in onnxruntime with dendrite’s outputs', async () => {
    dd.manualSeed(3);
    const layer = c.make().eval();
    const x = inputFor(c, 4);
    const bytes = dd.io.toOnnx(layer, { inputShape: c.input.slice(1), inputDtype: c.indices !== undefined ? 'int32' : 'float32' });
    const want = dd.noGrad(() => layer.call(x));
    const got = await runOrt(bytes, x);
    expect(got.dims).toEqual(want.shape);
    expectClose(got.data, want.data);
  });
});

withOrt('GELU: one Gelu node from opset 20, its erf expansion before, the same numbers', async () => {
  const model = new nn.Sequential(new nn.Linear(4, 6), new nn.GELU());
  const ops = (opset: number) => {
    const g = sub(first(readFields(dd.io.toOnnx(model, { inputShape: [4], opset })), 7));
    return all(g, 1).map((n) => str(first(sub(n), 4)));
  };
  expect(ops(20)).toEqual(['Gemm', 'Gelu']);
  expect(ops(17)).toEqual(['Gemm', 'Mul', 'Erf', 'Add', 'Mul', 'Mul']);
  for (const opset of [13, 17, 20, 22]) await checkParity(model, [4], [5], opset, opset);
});

withOrt('Linear on 3-D input becomes MatMul + Add; SiLU x·sigmoid(x); Softmax over a middle axis', async () => {
  dd.manualSeed(9);
  const model = new nn.Sequential(new nn.Linear(5, 4), new nn.SiLU(), new nn.Linear(4, 3, { bias: false }), new nn.Softmax(1));
  await checkParity(model, [6, 5], [1, 2]);
});

withOrt('a model that starts with an Embedding takes int32 indices', async () => {
  dd.manualSeed(10);
  const model = new nn.Sequential(new nn.Embedding(11, 4), new nn.Flatten(), new nn.Linear(12, 2), new nn.LogSoftmax());
  const bytes = dd.io.toOnnx(model, { inputShape: [3], inputDtype: 'int32' });
  const x = dd.tensor([1, 10, 0, 5, 5, 2], [2, 3], { dtype: 'int32' });
  const got = await runOrt(bytes, x);
  expectClose(got.data, dd.noGrad(() => model.eval().call(x)).data);
});

test('the encoding: IR and opset versions, a symbolic batch axis, weights under their state-dict names', () => {
  const model = w6();
  const bytes = dd.io.toOnnx(model, { inputShape: [784], opset: 17 });
  const m = readFields(bytes);
  expect(int(first(m, 1))).toBe(8); // ir_version
  expect(str(first(m, 2))).toBe('dendrite');
  const opset = sub(first(m, 8));
  expect([str(first(opset, 1)), int(first(opset, 2))]).toEqual(['', 17]);
  const g = sub(first(m, 7));
  const nodes = all(g, 1).map(sub);
  expect(nodes.map((n) => str(first(n, 4)))).toEqual(['Gemm', 'Relu', 'Identity', 'Gemm', 'Relu', 'Identity', 'Gemm']);
  // Gemm's transB attribute: name 1, i 3, type 20 (INT = 2).
  const attr = sub(first(nodes[0], 5));
  expect([str(first(attr, 1)), int(first(attr, 3)), int(first(attr, 20))]).toEqual(['transB', 1, 2]);
  expect(all(nodes[6], 2).map(str)).toEqual(['output']);
  const inits = all(g, 5).map(sub);
  expect(inits.map((t) => str(first(t, 8)))).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '6.weight', '6.bias']);
  const w = inits[0];
  expect(all(w, 1).map(int)).toEqual([512, 784]);
  expect(int(first(w, 2))).toBe(1); // FLOAT
  const raw = first(w, 9)!.bytes!;
  const weight = model.stateDict()['0.weight'].data;
  expect(Buffer.from(raw).equals(Buffer.from(weight.buffer, weight.byteOffset, weight.byteLength))).toBe(true);
  const dims = (vi: ReturnType<typeof sub>) => all(sub(first(sub(first(sub(first(vi, 2)), 1)), 2)), 1).map(sub).map((d) => (d.has(2) ? str(first(d, 2)) : int(first(d, 1))));
  const input = sub(first(g, 11));
  expect(str(first(input, 1))).toBe('input');
  expect(dims(input)).toEqual(['batch', 784]);
  expect(dims(sub(first(g, 12)))).toEqual(['batch', 10]);
  // Higher opsets carry the IR version that introduced them; negative attributes are int64 two's complement.
  expect(int(first(readFields(dd.io.toOnnx(model, { inputShape: [784], opset: 20 })), 1))).toBe(9);
  const soft = sub(first(readFields(dd.io.toOnnx(new nn.LogSoftmax(), { inputShape: [3], opset: 21 })), 7));
  expect(int(first(readFields(dd.io.toOnnx(new nn.ReLU(), { inputShape: [3], opset: 21 })), 1))).toBe(10);
  expect(int(first(sub(first(sub(first(soft, 1)), 5)), 3))).toBe(-1);
});

test('export leaves training mode as it was and writes the file atomically', async () => {
  const model = w6();
  model.train();
  (model.at(2) as dd.nn.Module).eval();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-onnx-'));
  try {
    const file = path.join(dir, 'mlp.onnx');
    await dd.exportOnnx(model, file, { inputShape: [784] });
    expect(fs.readdirSync(dir)).toEqual(['mlp.onnx']);
    expect(fs.readFileSync(file).equals(Buffer.from(dd.io.toOnnx(model, { inputShape: [784] })))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect([...model.modules()].map((m) => m.training)).toEqual([true, true, true, false, true, true, true, true]);
});

test('what cannot be exported is a clear error', () => {
  class Custom extends nn.Module {
    forward(x: dd.Tensor) {
      return x;
    }
  }
  expect(() => dd.io.toOnnx(new nn.Sequential(new nn.ReLU(), new Custom()), { inputShape: [3] })).toThrow(/1 is a Custom, which has no ONNX converter/);
  expect(() => dd.io.toOnnx(new nn.ReLU(), { inputShape: [3], opset: 12 })).toThrow(/opset must be an integer from 13 to 22/);
  expect(() => dd.io.toOnnx(new nn.ReLU(), { inputShape: [0] })).toThrow(/inputShape must be the shape of one sample/);
  expect(() => dd.io.toOnnx(new nn.ReLU(), {} as never)).toThrow(/inputShape/);
  expect(() => dd.io.toOnnx(new nn.Linear(4, 2), { inputShape: [5] })).toThrow();
});
