/**
 * What the convolution layer tests share: PyTorch's float64 results from
 * test/fixtures/torch-conv.safetensors (scripts/make-torch-conv-fixture.py)
 * compared on every ISA, and running an exported ONNX graph in onnxruntime.
 */
import * as path from 'path';
import * as dd from '../../../ts/index';
import { relativeError } from '../../autograd/support/gradcheck';
import { forEachBackend } from '../../support/isa';

const fixtureFile = path.join(__dirname, '..', '..', 'fixtures', 'torch-conv.safetensors');

export type TorchCases = Record<string, dd.Tensor>;

export async function torchCases(): Promise<TorchCases> {
  return (await dd.load(fixtureFile)) as TorchCases;
}

/**
 * Runs `op` on case `name`'s x, w and b (fresh leaves that require
 * gradients), backpropagates its gy, and compares the output and the three
 * gradients with PyTorch's, on every ISA and thread count. The errors are
 * relative to max(1, max |PyTorch's value|).
 */
export function expectTorchResults(cases: TorchCases, name: string, op: (x: dd.Tensor, w: dd.Tensor, b: dd.Tensor) => dd.Tensor): void {
  const leaf = (key: string) => {
    const t = cases[`${name}.${key}`];
    if (t === undefined) throw new Error(`torch-conv.safetensors has no ${name}.${key}: rerun scripts/make-torch-conv-fixture.py`);
    return dd.tensor(t.data.slice(), t.shape, { requiresGrad: true });
  };
  forEachBackend((isa, threads) => {
    const [x, w, b] = [leaf('x'), leaf('w'), leaf('b')];
    const y = op(x, w, b);
    y.backward(cases[`${name}.gy`]);
    const errors = {
      y: relativeError(y.data, cases[`${name}.y`].data),
      gx: relativeError(x.grad!.data, cases[`${name}.gx`].data),
      gw: relativeError(w.grad!.data, cases[`${name}.gw`].data),
      gb: relativeError(b.grad!.data, cases[`${name}.gb`].data),
    };
    expect(y.shape).toEqual(cases[`${name}.y`].shape);
    for (const [what, e] of Object.entries(errors)) expect([name, isa, threads, what, e <= 1e-5 ? 'ok' : e]).toEqual([name, isa, threads, what, 'ok']);
  });
}

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the tests skip when it cannot load
  ort = require('onnxruntime-node') as Ort;
} catch (e) {
  console.log(`ONNX parity tests skipped: onnxruntime-node cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}

/** `test` when onnxruntime-node loads, `test.skip` (with a message) when it cannot. */
export const withOnnxRuntime = ort !== undefined ? test : test.skip;

/**
 * Exports `model` for inputs of `sampleShape` and checks that onnxruntime
 * computes dendrite's outputs (to 1e-4 of max(1, |value|)) at each batch size.
 */
export async function expectOnnxParity(model: dd.nn.Module, sampleShape: number[], batches: number[]): Promise<void> {
  const bytes = dd.io.toOnnx(model, { inputShape: sampleShape });
  const session = await ort!.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  model.eval();
  dd.manualSeed(5);
  for (const n of batches) {
    const x = dd.rand([n, ...sampleShape]).mul(2).sub(1);
    const want = dd.noGrad(() => model.call(x));
    const got = (await session.run({ input: new ort!.Tensor('float32', x.data.slice(), [...x.shape]) })).output;
    expect(got.dims).toEqual(want.shape);
    expect(relativeError(got.data as Float32Array, want.data)).toBeLessThanOrEqual(1e-4);
  }
}
