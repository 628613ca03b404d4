/**
 * The PyTorch cases of test/fixtures/torch-pool.safetensors (written by
 * scripts/make-torch-pool-fixture.py: float64 results on float32 inputs), and
 * a check of one case run through the functional form or the layer.
 */
import * as path from 'path';
import * as dd from '../../ts';

const { nn } = dd;
const F = dd.nn.functional;

const contents = dd.io.readSafetensorsSync(path.join(__dirname, '..', 'fixtures', 'torch-pool.safetensors'));

export interface TorchCase {
  name: string;
  op: 'maxPool2d' | 'avgPool2d' | 'adaptiveAvgPool2d' | 'adaptiveMaxPool2d' | 'interpolate';
  args: Record<string, unknown>;
}

/** The fixture's cases of these ops. */
export function torchCases(ops: ReadonlyArray<TorchCase['op']>): TorchCase[] {
  const cases = JSON.parse(contents.metadata.cases) as TorchCase[];
  return cases.filter((c) => ops.includes(c.op));
}

function tensorOf(name: string): dd.Tensor {
  const t = contents.tensors[name];
  if (t === undefined) throw new Error(`fixture has no tensor ${name}`);
  return dd.tensor(Float32Array.from(t.data as Float32Array), t.shape);
}

type Pair = number | [number, number];

/** The case's call through dd.nn.functional. */
function functional(c: TorchCase, x: dd.Tensor): dd.Tensor {
  const { kernelSize, outputSize, ...rest } = c.args;
  switch (c.op) {
    case 'maxPool2d': return F.maxPool2d(x, kernelSize as Pair, rest as dd.nn.functional.MaxPool2dOptions);
    case 'avgPool2d': return F.avgPool2d(x, kernelSize as Pair, rest as dd.nn.functional.AvgPool2dOptions);
    case 'adaptiveAvgPool2d': return F.adaptiveAvgPool2d(x, outputSize as dd.nn.AdaptiveSize);
    case 'adaptiveMaxPool2d': return F.adaptiveMaxPool2d(x, outputSize as dd.nn.AdaptiveSize);
    case 'interpolate': return F.interpolate(x, c.args as dd.nn.functional.InterpolateOptions);
  }
}

/** The case's layer. */
function layer(c: TorchCase): dd.nn.Module {
  const { kernelSize, outputSize, ...rest } = c.args;
  switch (c.op) {
    case 'maxPool2d': return new nn.MaxPool2d(kernelSize as Pair, rest as dd.nn.MaxPool2dOptions);
    case 'avgPool2d': return new nn.AvgPool2d(kernelSize as Pair, rest as dd.nn.AvgPool2dOptions);
    case 'adaptiveAvgPool2d': return new nn.AdaptiveAvgPool2d(outputSize as dd.nn.AdaptiveSize);
    case 'adaptiveMaxPool2d': return new nn.AdaptiveMaxPool2d(outputSize as dd.nn.AdaptiveSize);
    case 'interpolate': return new nn.Upsample(c.args as dd.nn.UpsampleOptions);
  }
}

/** Largest |got − want| / max(1, |want|), or a message when the shapes differ. */
function worstError(got: dd.Tensor | null, want: dd.Tensor): number | string {
  if (got === null) return 'no gradient';
  if (got.shape.join() !== want.shape.join()) return `shape [${got.shape}] instead of [${want.shape}]`;
  let worst = 0;
  for (let i = 0; i < want.numel; i++) {
    const err = Math.abs(got.data[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i]));
    if (!(err <= worst)) worst = err; // NaN-safe
  }
  return worst;
}

/** Runs the case forward and backward; both must be within 1e-5 of PyTorch's. */
export function expectMatchesTorch(c: TorchCase, form: 'functional' | 'layer'): void {
  const x = tensorOf(`${c.name}.x`).requiresGrad_();
  const y = form === 'functional' ? functional(c, x) : layer(c).call(x);
  y.backward(tensorOf(`${c.name}.gy`));
  const errors = { forward: worstError(y, tensorOf(`${c.name}.y`)), backward: worstError(x.grad, tensorOf(`${c.name}.gx`)) };
  const ok = (e: number | string) => (typeof e === 'number' && e <= 1e-5 ? 'within 1e-5' : e);
  expect({ case: c.name, forward: ok(errors.forward), backward: ok(errors.backward) })
    .toEqual({ case: c.name, forward: 'within 1e-5', backward: 'within 1e-5' });
}
