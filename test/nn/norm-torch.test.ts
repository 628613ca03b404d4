/**
 * The normalization layers against PyTorch. test/fixtures/torch-norm*.safetensors
 * were written by scripts/make-torch-norm-fixture.py (PyTorch in float64 on
 * float32 inputs; see the script for each case): two training steps of batch
 * norm (outputs, gradients of the input, weight and bias, running statistics,
 * momentum null among them), then evaluation; layer norm; local response
 * norm; and a PyTorch state dict of a Sequential with BatchNorm2d and
 * BatchNorm1d layers that must load and give PyTorch's evaluation outputs.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts';

const { nn } = dd;
const fixtures = path.join(__dirname, '..', 'fixtures');
const reference = dd.io.readSafetensorsSync(path.join(fixtures, 'torch-norm.safetensors')).tensors;
const sequentialFile = path.join(fixtures, 'torch-norm-sequential.safetensors');

function ref(name: string): dd.Tensor {
  const t = reference[name];
  if (t === undefined) throw new Error(`fixture has no tensor ${name}`);
  return dd.tensor(t.data as Float32Array, t.shape);
}

/** Every value within 1e-5·max(1, |want|) of PyTorch's float64 result. */
function expectMatches(got: dd.Tensor | null, name: string): void {
  const want = ref(name);
  expect({ name, shape: got?.shape }).toEqual({ name, shape: want.shape });
  let worst = 0;
  for (let i = 0; i < want.numel; i++) {
    const err = Math.abs(got!.data[i] - want.data[i]) / Math.max(1, Math.abs(want.data[i]));
    if (!(err <= worst)) worst = err;
  }
  expect({ name, worst: worst <= 1e-5 ? 'within 1e-5' : worst }).toEqual({ name, worst: 'within 1e-5' });
}

type Norm = dd.nn.Module & { weight: dd.Tensor | null; bias: dd.Tensor | null };

function loadParameters(layer: Norm, p: string): void {
  if (layer.weight !== null) layer.weight.data.set(ref(`${p}weight`).data);
  if (layer.bias !== null) layer.bias.data.set(ref(`${p}bias`).data);
}

/** Forward and backward of x = `${p}x${suffix}` against y, gx and the parameter gradients. */
function checkStep(layer: Norm, p: string, suffix: string): void {
  layer.zeroGrad();
  const x = ref(`${p}x${suffix}`).requiresGrad_();
  const y = layer.call(x);
  expectMatches(y, `${p}y${suffix}`);
  y.backward(ref(`${p}gy${suffix}`));
  expectMatches(x.grad, `${p}gx${suffix}`);
  if (layer.weight !== null) expectMatches(layer.weight.grad, `${p}gweight${suffix}`);
  if (layer.bias !== null) expectMatches(layer.bias.grad, `${p}gbias${suffix}`);
}

describe.each([
  ['bn2d', 'BatchNorm2d(3)', () => new nn.BatchNorm2d(3)],
  ['bn1d', 'BatchNorm1d(5, momentum null) on [N, C]', () => new nn.BatchNorm1d(5, { momentum: null })],
  ['bn1d3', 'BatchNorm1d(4, no affine, momentum 0.3, eps 1e-3) on [N, C, L]', () => new nn.BatchNorm1d(4, { affine: false, momentum: 0.3, eps: 1e-3 })],
  ['bn2d_batch_stats', 'BatchNorm2d(2) without running statistics', () => new nn.BatchNorm2d(2, { trackRunningStats: false })],
])('%s: %s', (name, _what, make) => {
  const p = `${name}.`;
  const layer = make();
  loadParameters(layer, p);
  if (layer.runningMean !== null) {
    layer.runningMean.data.set(ref(`${p}running_mean0`).data);
    layer.runningVar!.data.set(ref(`${p}running_var0`).data);
  }

  test('training step 1 and 2: outputs, gradients, running statistics', () => {
    layer.train();
    expectMatches(dd.noGrad(() => layer.call(ref(`${p}x1`))), `${p}y1`);
    checkStep(layer, p, '2');
    if (layer.runningMean !== null) {
      expectMatches(layer.runningMean, `${p}running_mean`);
      expectMatches(layer.runningVar, `${p}running_var`);
      expect(layer.numBatchesTracked!.item()).toBe(2);
    }
  });

  test('then evaluation: output and gradients', () => {
    layer.eval();
    checkStep(layer, p, '3');
    if (layer.numBatchesTracked !== null) expect(layer.numBatchesTracked.item()).toBe(2);
  });
});

test.each([
  ['ln', () => new nn.LayerNorm([4, 6])],
  ['ln_plain', () => new nn.LayerNorm(6, { elementwiseAffine: false, eps: 1e-3 })],
  ['lrn', () => new nn.LocalResponseNorm(5, { alpha: 1e-4, beta: 0.75, k: 2 })],
  ['lrn_even', () => new nn.LocalResponseNorm(4, { alpha: 0.5, beta: 0.6, k: 1.5 })],
])('%s: output and gradients', (name, make) => {
  const layer = make() as unknown as Norm;
  if ('weight' in layer) loadParameters(layer, `${name}.`);
  else Object.assign(layer, { weight: null, bias: null });
  checkStep(layer, `${name}.`, '');
});

/** The fixture's Sequential, layer for layer. */
function buildSequential() {
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.Conv2d(4, 6, 3, { stride: 2, padding: 1, bias: false }),
    new nn.BatchNorm2d(6, { momentum: null }),
    new nn.ReLU(),
    new nn.Flatten(),
    new nn.Linear(6 * 4 * 4, 8),
    new nn.BatchNorm1d(8, { eps: 1e-3 }),
    new nn.ReLU(),
    new nn.Linear(8, 5),
  );
}

test("a PyTorch state dict with batch norm layers loads under PyTorch's names and gives PyTorch's evaluation output", async () => {
  const dict = (await dd.load(sequentialFile)) as Record<string, dd.Tensor>;
  const model = buildSequential();
  expect(Object.keys(model.stateDict()).filter((k) => k.startsWith('1.'))).toEqual(
    ['1.weight', '1.bias', '1.running_mean', '1.running_var', '1.num_batches_tracked'],
  );
  expect(Object.keys(dict).sort()).toEqual(Object.keys(model.stateDict()).sort());
  // num_batches_tracked is int64 in PyTorch's file: it loads as an int32 scalar.
  expect([dict['4.num_batches_tracked'].dtype, dict['4.num_batches_tracked'].shape, dict['4.num_batches_tracked'].item()]).toEqual(['int32', [], 3]);
  model.loadStateDict(dict);
  model.eval();
  const y = dd.noGrad(() => model.call(ref('seq.input')));
  expectMatches(y, 'seq.output');
});

const python = [process.env.PYTHON, '/usr/bin/python3', 'python3'].find(
  (p) => p !== undefined && spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0,
);
const withTorch = python !== undefined ? test : test.skip;

withTorch("PyTorch loads dd.save's file of the Sequential with strict keys and computes dendrite's output", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-norm-'));
  try {
    const model = buildSequential();
    model.loadStateDict((await dd.load(sequentialFile)) as Record<string, dd.Tensor>);
    model.train();
    dd.manualSeed(4);
    dd.noGrad(() => model.call(dd.rand([5, 1, 8, 8]))); // running statistics and counters of dendrite's own
    model.eval();
    const file = path.join(dir, 'model.safetensors');
    await dd.save(model, file);
    const x = ref('seq.input');
    const y = dd.noGrad(() => model.call(x));
    const code = `
import importlib.util, json, struct, sys, torch
spec = importlib.util.spec_from_file_location('fixture', sys.argv[1]); fx = importlib.util.module_from_spec(spec); spec.loader.exec_module(fx)
raw = open(sys.argv[2], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n]); header.pop('__metadata__', None)
types = {'F32': torch.float32, 'I32': torch.int32}
state = {}
for name, e in header.items():
    b, end = e['data_offsets']
    state[name] = torch.frombuffer(bytearray(raw[8 + n + b:8 + n + end]), dtype=types[e['dtype']]).reshape(e['shape'])
model = fx.build_sequential().eval()
model.load_state_dict(state, strict=True)
x = torch.tensor(json.loads(sys.stdin.read()), dtype=torch.float32).reshape(2, 1, 8, 8)
with torch.no_grad():
    print(json.dumps({'tracked': int(model[4].num_batches_tracked), 'y': model(x).flatten().tolist()}))
`;
    const script = path.join(__dirname, '..', '..', 'scripts', 'make-torch-norm-fixture.py');
    const r = spawnSync(python!, ['-c', code, script, file], { input: JSON.stringify(Array.from(x.data)), encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.tracked).toBe(4);
    expect(out.y).toHaveLength(y.numel);
    for (let i = 0; i < y.numel; i++) expect(Math.abs(out.y[i] - y.data[i])).toBeLessThan(1e-5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
