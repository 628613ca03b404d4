/**
 * Corrupt and hostile model descriptions, saved-model folders and
 * checkpoints: every case must load or throw a ModelFormatError or
 * SafetensorsError — never another error, a crash or a large allocation —
 * and a checkpoint that is refused leaves the model, optimizer and random
 * stream as they were. Deterministic (seeded).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn, optim } = dd;
const { ModelFormatError, SafetensorsError } = dd.io;

const MB = 1024 * 1024;

/** A model with every kind of layer (it need not compute; descriptions are never run here). */
function everyLayer(): dd.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 2, [3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2] }), new nn.MaxPool2d(2), new nn.AvgPool2d(3, 1, 1, { countIncludePad: false }),
    new nn.Dropout2d(0.2), new nn.Flatten(1, -1), new nn.Linear(4, 3, { bias: false }), new nn.Dropout(0.1), new nn.Embedding(5, 2),
    new nn.Sequential(new nn.ReLU(), new nn.Sigmoid(), new nn.Logistic(), new nn.Tanh(), new nn.LeakyReLU(0.3), new nn.ELU(2)),
    new nn.GELU(), new nn.SiLU(), new nn.Softplus(), new nn.Softmax(0), new nn.LogSoftmax(-2), new nn.Identity(),
  );
}

/** Values a hostile file might put anywhere. */
const HOSTILE: unknown[] = [
  -1, 0, 1, 0.5, -0.5, 1e300, -1e300, 2 ** 31, 2 ** 53, 2 ** 64, 1e-320, '', 'x', '1', 'Linear', 'Sequential', null, true, false, [], [0],
  [1, 2, 3], {}, { type: 'Linear' }, { type: 'Sequential', config: { layers: 'x' } }, { $float: 'NaN' }, { $float: 'bogus' },
  { $tensor: 'optimizer.0.expAvg' }, { $tensor: 'model.0.weight' }, { $tensor: '__proto__' }, { __proto__: { polluted: 1 } },
  'x'.repeat(5000), Array.from({ length: 200 }, () => 9),
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every place in a JSON tree: [container, key] pairs. */
function places(v: Json, out: Array<[Json[] | { [k: string]: Json }, string | number]> = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), places(x, out)));
  else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      places(v[k], out);
    }
  }
  return out;
}

/** One random change to a JSON tree: replace a value, delete a key, add a key, or duplicate an array entry. */
function mutateTree(doc: Json, rng: TestRandom): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const all = places(copy);
  if (all.length === 0) return copy;
  const [container, key] = all[rng.int(0, all.length)];
  const hostile = JSON.parse(JSON.stringify(HOSTILE[rng.int(0, HOSTILE.length)])) as Json;
  const action = rng.int(0, 4);
  if (Array.isArray(container)) {
    if (action === 1) container.splice(key as number, 1);
    else if (action === 2) container.splice(key as number, 0, container[key as number]);
    else container[key as number] = hostile;
  } else {
    const obj = container as { [k: string]: Json };
    if (action === 1) delete obj[key as string];
    else if (action === 2) obj[`extra${rng.int(0, 3)}`] = hostile;
    else obj[key as string] = hostile;
  }
  return copy;
}

/** One random change to text: flip, delete, insert or truncate. */
function mutateText(text: string, rng: TestRandom): string {
  const at = rng.int(0, text.length);
  switch (rng.int(0, 4)) {
    case 0: return text.slice(0, at) + String.fromCharCode(rng.int(0, 128)) + text.slice(at + 1);
    case 1: return text.slice(0, at) + text.slice(at + rng.int(1, 20));
    case 2: return text.slice(0, at) + ['{', '}', '[', ']', ',', ':', '"', '-', '9', 'e', '\\', '\u0000', 'é'][rng.int(0, 13)] + text.slice(at);
    default: return text.slice(0, at);
  }
}

function isFileError(e: unknown): boolean {
  return e instanceof ModelFormatError || e instanceof SafetensorsError;
}

/** Runs one case; returns 'ok' or 'refused', and fails the test on any other outcome. */
async function outcome(run: () => unknown | Promise<unknown>, label: string): Promise<'ok' | 'refused'> {
  const before = process.memoryUsage().arrayBuffers;
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (!isFileError(e)) throw new Error(`${label}: not a ModelFormatError or SafetensorsError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    expect((e as Error).message.length).toBeLessThan(2000);
    return 'refused';
  } finally {
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * MB);
  }
}

test('mutated description texts and trees build a model or raise ModelFormatError', async () => {
  const base = dd.io.describeModel(everyLayer()) as unknown as Json;
  const text = JSON.stringify(base);
  const rng = new TestRandom(1234);
  const counts = { ok: 0, refused: 0 };
  for (let i = 0; i < 400; i++) {
    const mutated = i % 2 === 0 ? JSON.stringify(mutateTree(base, rng)) : mutateText(text, rng);
    counts[await outcome(() => dd.io.modelFromDescription(mutated, { maxParameters: 10_000 }), `case ${i}`)]++;
  }
  // Both outcomes happen: the mutations reach deep enough to be accepted sometimes.
  expect(counts.ok).toBeGreaterThan(20);
  expect(counts.refused).toBeGreaterThan(200);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('saved-model folders', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-fuzz-model-'));
    dd.manualSeed(3);
    await dd.saveModel(new nn.Sequential(new nn.Linear(6, 5), new nn.ReLU(), new nn.Sequential(new nn.Linear(5, 3)), new nn.Softmax()), path.join(dir, 'base'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function copyBase(name: string): string {
    const target = path.join(dir, name);
    fs.mkdirSync(target);
    for (const f of fs.readdirSync(path.join(dir, 'base'))) fs.copyFileSync(path.join(dir, 'base', f), path.join(target, f));
    return target;
  }

  test('mutated descriptions and weights (with matching hashes) load or raise a file error', async () => {
    const rng = new TestRandom(99);
    const counts = { ok: 0, refused: 0 };
    const baseDoc = JSON.parse(fs.readFileSync(path.join(dir, 'base', 'model.json'), 'utf8'));
    const baseWeights = fs.readFileSync(path.join(dir, 'base', 'model.safetensors'));
    for (let i = 0; i < 90; i++) {
      const target = copyBase(`case${i}`);
      if (i % 3 === 2) {
        // Corrupt the weights and record their new hash, so the safetensors reader and the weight fit are what is tested.
        const w = Buffer.from(baseWeights);
        const flips = rng.int(1, 4);
        for (let f = 0; f < flips; f++) w[rng.int(0, Math.min(w.length, 200))] = rng.int(0, 256);
        const cut = rng.int(0, 4) === 0 ? w.subarray(0, rng.int(0, w.length)) : w;
        fs.writeFileSync(path.join(target, 'model.safetensors'), cut);
        const doc = { ...baseDoc, weights: { ...baseDoc.weights, bytes: cut.length, sha256: createHash('sha256').update(cut).digest('hex') } };
        fs.writeFileSync(path.join(target, 'model.json'), JSON.stringify(doc));
      } else {
        const text = i % 3 === 0 ? JSON.stringify(mutateTree(baseDoc, rng)) : mutateText(JSON.stringify(baseDoc), rng);
        fs.writeFileSync(path.join(target, 'model.json'), text);
      }
      counts[await outcome(() => dd.loadModel(target), `folder ${i}`)]++;
      fs.rmSync(target, { recursive: true, force: true });
    }
    expect(counts.refused).toBeGreaterThan(45);
  });

  test('a huge description file is refused without reading it', async () => {
    const target = copyBase('huge');
    const fd = fs.openSync(path.join(target, 'model.json'), 'w');
    fs.ftruncateSync(fd, 64 * MB); // sparse: costs no disk
    fs.closeSync(fd);
    await expect(outcome(() => dd.loadModel(target), 'huge')).resolves.toBe('refused');
    await expect(dd.loadModel(target)).rejects.toThrow(/more than the limit/);
  });
});

describe('checkpoints', () => {
  let dir: string;
  let baseFile: string;
  const makeModel = () => new nn.Sequential(new nn.Linear(4, 6), new nn.Tanh(), new nn.Dropout(0.2), new nn.Linear(6, 3));
  const x = dd.tensor(new TestRandom(5).float32(12), [3, 4]);
  const y = dd.tensor([0, 2, 1], { dtype: 'int32' });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-fuzz-ckpt-'));
    dd.manualSeed(8);
    const model = makeModel();
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const sched = new optim.StepLR(opt, { stepSize: 2 });
    for (let i = 0; i < 2; i++) {
      opt.zeroGrad();
      dd.nn.functional.crossEntropy(model.call(x), y).backward();
      opt.step();
      sched.step();
    }
    baseFile = path.join(dir, 'base.safetensors');
    await dd.saveCheckpoint(baseFile, { model, optimizer: opt, scheduler: sched, epoch: 2, extra: { best: 0.5, tags: ['a'] } });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function targets() {
    dd.manualSeed(77);
    const model = makeModel();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.3 });
    const scheduler = new optim.StepLR(optimizer, { stepSize: 5 });
    return { model, optimizer, scheduler };
  }

  function snapshot(t: ReturnType<typeof targets>): string {
    const weights = Object.values(t.model.stateDict()).map((w) => Array.from(w.data));
    const opt = JSON.stringify(t.optimizer.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v));
    return JSON.stringify([weights, opt, t.scheduler.stateDict(), dd.getRngState()]);
  }

  async function loadCase(file: string, label: string): Promise<'ok' | 'refused'> {
    const t = targets();
    const before = snapshot(t);
    const result = await outcome(() => dd.loadCheckpoint(file, t), label);
    if (result === 'refused') expect(snapshot(t)).toBe(before); // nothing changed
    return result;
  }

  test('the unmodified checkpoint loads', async () => {
    await expect(loadCase(baseFile, 'base')).resolves.toBe('ok');
  });

  test('mutated metadata and tensor lists load or are refused without changing anything', async () => {
    const base = dd.io.readSafetensorsSync(baseFile);
    const body = JSON.parse(base.metadata.checkpoint) as Json;
    const rng = new TestRandom(4321);
    const counts = { ok: 0, refused: 0 };
    const file = path.join(dir, 'case.safetensors');
    for (let i = 0; i < 240; i++) {
      const tensors: Record<string, { dtype?: 'F32' | 'I32' | 'F16'; shape: number[]; data: Float32Array | Int32Array }> = {};
      for (const [name, t] of Object.entries(base.tensors)) tensors[name] = { shape: t.shape, data: t.data };
      const metadata = { ...base.metadata };
      const kind = i % 4;
      if (kind === 0 || kind === 1) metadata.checkpoint = JSON.stringify(mutateTree(body, rng));
      else if (kind === 2) metadata.checkpoint = mutateText(base.metadata.checkpoint, rng);
      else {
        const names = Object.keys(tensors);
        const name = names[rng.int(0, names.length)];
        const t = tensors[name];
        switch (rng.int(0, 5)) {
          case 0: delete tensors[name]; break;
          case 1: tensors[`${name}x`] = t; delete tensors[name]; break;
          case 2: tensors[name] = { shape: [t.data.length, 1], data: t.data }; break;
          case 3: tensors[name] = { dtype: 'I32', shape: t.shape, data: Int32Array.from(t.data, (v) => Math.round(v)) }; break;
          default: tensors[name] = { dtype: 'F16', shape: t.shape, data: t.data as Float32Array };
        }
        if (rng.int(0, 3) === 0) metadata.version = ['2', '0', '1.0', ' 1', ''][rng.int(0, 5)];
      }
      dd.io.writeSafetensorsSync(file, tensors, metadata);
      counts[await loadCase(file, `checkpoint ${i}`)]++;
    }
    expect(counts.ok).toBeGreaterThan(10);
    expect(counts.refused).toBeGreaterThan(120);
  });

  test('checkpoint files with corrupted bytes load or are refused without changing anything', async () => {
    const bytes = fs.readFileSync(baseFile);
    const rng = new TestRandom(77);
    const file = path.join(dir, 'bytes.safetensors');
    for (let i = 0; i < 80; i++) {
      const b = Buffer.from(bytes);
      const at = rng.int(0, 8) === 0 ? rng.int(0, 8) : rng.int(8, Math.min(b.length, 8 + 2000));
      b[at] = rng.int(0, 256);
      fs.writeFileSync(file, rng.int(0, 5) === 0 ? b.subarray(0, rng.int(0, b.length)) : b);
      await loadCase(file, `bytes ${i}`);
    }
  });
});
