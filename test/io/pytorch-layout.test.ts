/**
 * Weights in PyTorch's layout. test/fixtures/torch-sequential*.safetensors
 * were written by scripts/make-torch-sequential-fixture.py from a PyTorch
 * Sequential's state_dict() (see the script); the same model built with
 * dd.nn must take those weights under the same names and compute the same
 * output, and dd.save must write back the same names and the same bytes.
 * When PyTorch is installed, it also loads our file with strict key checking.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';

const { nn } = dd;
const fixtures = path.join(__dirname, '..', 'fixtures');
const weightsFile = path.join(fixtures, 'torch-sequential.safetensors');
const ioFile = path.join(fixtures, 'torch-sequential-io.safetensors');
const script = path.join(__dirname, '..', '..', 'scripts', 'make-torch-sequential-fixture.py');

/** The fixture's model, layer for layer. */
function buildModel() {
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(4, 6, 3, { stride: 2, padding: 1 }),
    new nn.Tanh(),
    new nn.AvgPool2d(2),
    new nn.Flatten(),
    new nn.Linear(6, 16),
    new nn.LeakyReLU(0.1),
    new nn.Dropout(0.5),
    new nn.Sequential(new nn.Linear(16, 10), new nn.ELU()),
    new nn.Linear(10, 5, { bias: false }),
  );
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-torch-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('names follow the module tree as PyTorch names them', () => {
  expect(Object.keys(buildModel().stateDict())).toEqual([
    '0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias', '10.0.weight', '10.0.bias', '11.weight',
  ]);
});

test("a PyTorch state dict loads under the same names and computes PyTorch's output", async () => {
  const loaded = await dd.load(weightsFile);
  expect(loaded).not.toBeInstanceOf(nn.Module); // no description beside it: a state dict
  const dict = loaded as Record<string, dd.Tensor>;
  const model = buildModel();
  expect(Object.keys(dict).sort()).toEqual(Object.keys(model.stateDict()).sort());
  expect(dict['3.weight'].shape).toEqual([6, 4, 3, 3]); // OIHW
  expect(dict['7.weight'].shape).toEqual([16, 6]); // [out, in]
  model.loadStateDict(dict);
  model.eval();
  const io = dd.io.readSafetensorsSync(ioFile).tensors;
  const y = dd.noGrad(() => model.call(dd.tensor(io.input.data, io.input.shape)));
  expect(y.shape).toEqual(io.output.shape);
  const want = io.output.data;
  for (let i = 0; i < want.length; i++) expect(Math.abs(y.data[i] - want[i])).toBeLessThan(1e-5);
});

test('dd.save writes the same names, shapes, dtype and bytes as the PyTorch file, with format "pt"', async () => {
  const model = buildModel();
  model.loadStateDict((await dd.loadWeights(weightsFile)) as Record<string, dd.Tensor>);
  const ours = path.join(dir, 'ours.safetensors');
  await dd.save(model, ours);
  const mine = dd.io.readSafetensorsSync(ours);
  const theirs = dd.io.readSafetensorsSync(weightsFile);
  expect(Object.keys(mine.tensors)).toEqual(Object.keys(model.stateDict())); // module-tree order
  expect(mine.metadata.format).toBe('pt');
  for (const [name, t] of Object.entries(theirs.tensors)) {
    expect({ name, fileDtype: mine.tensors[name].fileDtype, shape: mine.tensors[name].shape }).toEqual({ name, fileDtype: 'F32', shape: t.shape });
    expect(Buffer.from(mine.tensors[name].data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
  }
  // A state dict saves the same way as the module it came from.
  const again = path.join(dir, 'again.safetensors');
  await dd.save(model.stateDict(), again);
  expect(fs.readFileSync(again).equals(fs.readFileSync(ours))).toBe(true);
});

const python = [process.env.PYTHON, '/usr/bin/python3', 'python3'].find(
  (p) => p !== undefined && spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0,
);
if (python === undefined) {
  console.log('PyTorch cross-check skipped: no python3 that can import torch (apt-get install python3-torch to run it)');
}
const withTorch = python !== undefined ? test : test.skip;

withTorch("PyTorch loads dd.save's file with strict keys and computes dendrite's output", async () => {
  const model = buildModel().eval();
  dd.manualSeed(11);
  // Weights of dendrite's own initialisation, so nothing here came from PyTorch.
  const file = path.join(dir, 'model.safetensors');
  await dd.save(model, file);
  const x = dd.rand([3, 1, 12, 12]);
  const y = dd.noGrad(() => model.call(x));
  const code = `
import importlib.util, json, struct, sys, torch
spec = importlib.util.spec_from_file_location('fixture', sys.argv[1]); fx = importlib.util.module_from_spec(spec); spec.loader.exec_module(fx)
raw = open(sys.argv[2], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
meta = header.pop('__metadata__', {})
state = {}
for name, e in header.items():
    assert e['dtype'] == 'F32', e
    b, end = e['data_offsets']
    state[name] = torch.frombuffer(bytearray(raw[8 + n + b:8 + n + end]), dtype=torch.float32).reshape(e['shape'])
model = fx.build_model().eval()
model.load_state_dict(state, strict=True)
x = torch.tensor(json.loads(sys.stdin.read()), dtype=torch.float32).reshape(3, 1, 12, 12)
with torch.no_grad():
    print(json.dumps({'meta': meta, 'y': model(x).flatten().tolist()}))
`;
  const r = spawnSync(python!, ['-c', code, script, file], { input: JSON.stringify(Array.from(x.data)), encoding: 'utf8', timeout: 60000 });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout);
  expect(out.meta).toEqual({ format: 'pt' });
  expect(out.y).toHaveLength(y.numel);
  for (let i = 0; i < y.numel; i++) expect(Math.abs(out.y[i] - y.data[i])).toBeLessThan(1e-5);
});
