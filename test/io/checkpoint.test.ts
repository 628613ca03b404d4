/**
 * Checkpoints: training resumes exactly (same losses and weights, bit for
 * bit) in fresh objects for every optimizer, with a scheduler and dropout;
 * a crash mid-save leaves the previous checkpoint whole; a checkpoint that
 * does not fit is refused without changing the model or optimizer.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';
import { runChild } from './support/child';

const { nn, optim } = dd;
const { ModelFormatError } = dd.io;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-ckpt-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const rng = new TestRandom(3);
const x = dd.tensor(rng.float32(8 * 6), [8, 6]);
const y = dd.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 4), [8]);

function makeModel() {
  return new nn.Sequential(new nn.Linear(6, 16), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(16, 4));
}

/** One training step; returns the loss before the update. */
function step(model: dd.nn.Module, opt: dd.optim.Optimizer): number {
  opt.zeroGrad();
  const loss = dd.nn.functional.crossEntropy(model.call(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

function weightBytes(model: dd.nn.Module): string {
  return Object.values(model.stateDict())
    .map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex'))
    .join('|');
}

type MakeOptimizer = (params: dd.Tensor[]) => dd.optim.Optimizer;
const OPTIMIZERS: Array<[string, MakeOptimizer]> = [
  ['SGD with Nesterov momentum', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ['Adam', (p) => new optim.Adam(p, { lr: 1e-2 })],
  ['AdamW', (p) => new optim.AdamW(p, { lr: 1e-2 })],
  ['RMSprop centered with momentum', (p) => new optim.RMSprop(p, { lr: 1e-3, momentum: 0.5, centered: true })],
  ['Adagrad', (p) => new optim.Adagrad(p, { lr: 0.05 })],
];

test.each(OPTIMIZERS)('%s: resuming from a checkpoint in fresh objects continues bit for bit', async (_, makeOptimizer) => {
  dd.manualSeed(1);
  const model = makeModel();
  const opt = makeOptimizer(model.parameters());
  for (let i = 0; i < 5; i++) step(model, opt);
  const file = path.join(dir, 'ckpt.safetensors');
  await dd.saveCheckpoint(file, { model, optimizer: opt, epoch: 5, extra: { note: 'after 5', best: Infinity } });
  const expected = [step(model, opt), step(model, opt), step(model, opt)];
  const expectedWeights = weightBytes(model);

  // Fresh objects: other initial weights, another learning rate, the random stream elsewhere.
  dd.manualSeed(999);
  const model2 = makeModel();
  const opt2 = makeOptimizer(model2.parameters());
  opt2.paramGroups[0].lr = 0.5;
  const restored = await dd.loadCheckpoint(file, { model: model2, optimizer: opt2 });
  expect(restored.model).toBe(model2);
  expect(restored.epoch).toBe(5);
  expect(restored.extra).toEqual({ note: 'after 5', best: Infinity });
  expect(opt2.paramGroups[0].lr).toBe(opt.paramGroups[0].lr);
  const resumed = [step(model2, opt2), step(model2, opt2), step(model2, opt2)];
  expect(resumed).toEqual(expected); // exactly: same floats
  expect(weightBytes(model2)).toBe(expectedWeights);
});

test('a scheduler resumes with the optimizer, and a model is rebuilt from the checkpoint when none is given', async () => {
  dd.manualSeed(2);
  const model = makeModel();
  const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
  const sched = new optim.StepLR(opt, { stepSize: 2, gamma: 0.5 });
  for (let i = 0; i < 3; i++) {
    step(model, opt);
    sched.step();
  }
  const file = path.join(dir, 'ckpt.safetensors');
  await dd.saveCheckpoint(file, { model, optimizer: opt, scheduler: sched, epoch: 3 });
  const run = (m: dd.nn.Module, o: dd.optim.Optimizer, s: dd.optim.LRScheduler) => {
    const out: number[] = [];
    for (let i = 0; i < 3; i++) {
      out.push(step(m, o));
      s.step();
      out.push(o.paramGroups[0].lr);
    }
    return out;
  };
  const expected = run(model, opt, sched);

  dd.manualSeed(3);
  const { model: rebuilt } = await dd.loadCheckpoint(file); // no model given: rebuilt from its description
  expect(rebuilt).toBeInstanceOf(nn.Sequential);
  expect(rebuilt.training).toBe(true);
  const opt2 = new optim.Adam(rebuilt.parameters(), { lr: 1 });
  const sched2 = new optim.StepLR(opt2, { stepSize: 2, gamma: 0.5 });
  await dd.loadCheckpoint(file, { model: rebuilt, optimizer: opt2, scheduler: sched2 });
  expect(run(rebuilt, opt2, sched2)).toEqual(expected);
});

test('a save that fails just before its rename leaves the previous checkpoint whole and no temporary file', async () => {
  dd.manualSeed(4);
  const model = makeModel();
  const opt = new optim.Adam(model.parameters());
  const file = path.join(dir, 'ckpt.safetensors');
  await dd.saveCheckpoint(file, { model, optimizer: opt, epoch: 1 });
  const before = fs.readFileSync(file);
  step(model, opt);
  await expect(
    dd.saveCheckpoint(file, { model, optimizer: opt, epoch: 2 }, { beforeRename: () => { throw new Error('disk unplugged'); } }),
  ).rejects.toThrow('disk unplugged');
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  expect(fs.readdirSync(dir)).toEqual(['ckpt.safetensors']);
  expect((await dd.loadCheckpoint(file, { model: makeModel() })).epoch).toBe(1);
});

test('a process killed in the middle of saving leaves the previous checkpoint loadable', async () => {
  dd.manualSeed(5);
  const model = makeModel();
  const file = path.join(dir, 'ckpt.safetensors');
  await dd.saveCheckpoint(file, { model, epoch: 7 });
  const before = fs.readFileSync(file);
  const r = runChild(
    `
    const model = new dd.nn.Sequential(new dd.nn.Linear(6, 16), new dd.nn.ReLU(), new dd.nn.Dropout(0.3), new dd.nn.Linear(16, 4));
    const opt = new dd.optim.Adam(model.parameters());
    dd.saveCheckpoint(process.argv[1], { model, optimizer: opt, epoch: 8 }, { beforeRename: () => process.kill(process.pid, 'SIGKILL') });
    `,
    [file],
  );
  expect(r.stderr).toBe('');
  expect(r.signal).toBe('SIGKILL');
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  const back = await dd.loadCheckpoint(file, { model: makeModel() });
  expect(back.epoch).toBe(7);
  expect(weightBytes(back.model)).toBe(weightBytes(model));
});

describe('a checkpoint that does not fit is refused and changes nothing', () => {
  let file: string;
  beforeEach(async () => {
    dd.manualSeed(6);
    const model = makeModel();
    const opt = new optim.Adam(model.parameters());
    step(model, opt);
    file = path.join(dir, 'ckpt.safetensors');
    await dd.saveCheckpoint(file, { model, optimizer: opt, epoch: 1 });
  });

  function expectRefused(run: () => Promise<unknown>, message: RegExp, model: dd.nn.Module, opt?: dd.optim.Optimizer) {
    const weights = weightBytes(model);
    const state = JSON.stringify(opt?.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v));
    const rngState = dd.getRngState();
    return run().then(
      () => {
        throw new Error('expected a refusal');
      },
      (e) => {
        expect(e).toBeInstanceOf(ModelFormatError);
        expect(e.message).toMatch(message);
        expect(weightBytes(model)).toBe(weights);
        expect(JSON.stringify(opt?.stateDict(), (_, v) => (v instanceof Float32Array ? Array.from(v) : v))).toBe(state);
        expect(dd.getRngState()).toEqual(rngState);
      },
    );
  }

  test('another optimizer class', async () => {
    const model = makeModel();
    const sgd = new optim.SGD(model.parameters(), { lr: 0.1 });
    await expectRefused(() => dd.loadCheckpoint(file, { model, optimizer: sgd }), /holds the state of "Adam", not of the SGD given/, model, sgd);
  });

  test('another model shape', async () => {
    const model = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(8, 4));
    const adam = new optim.Adam(model.parameters());
    await expectRefused(() => dd.loadCheckpoint(file, { model, optimizer: adam }), /0\.weight is float32 \[16, 6\] in the checkpoint, float32 \[8, 6\] in the model/, model, adam);
  });

  test('another number of parameter groups', async () => {
    const model = makeModel();
    const [w0, b0, w1, b1] = model.parameters();
    const adam = new optim.Adam([{ params: [w0, b0] }, { params: [w1, b1], lr: 0.1 }]);
    await expectRefused(() => dd.loadCheckpoint(file, { model, optimizer: adam }), /1 parameter groups, the optimizer 2/, model, adam);
  });

  test('no optimizer state in the checkpoint', async () => {
    const model = makeModel();
    const bare = path.join(dir, 'bare.safetensors');
    await dd.saveCheckpoint(bare, { model });
    const adam = new optim.Adam(model.parameters());
    await expectRefused(() => dd.loadCheckpoint(bare, { model, optimizer: adam }), /holds no optimizer state/, model, adam);
  });

  test('plain weights are not a checkpoint', async () => {
    const model = makeModel();
    const weights = path.join(dir, 'weights.safetensors');
    await dd.save(model, weights);
    await expectRefused(() => dd.loadCheckpoint(weights, { model }), /not a dendrite checkpoint/, model);
  });
});

test('extra data must be plain data, and non-finite numbers survive', async () => {
  const model = makeModel();
  const file = path.join(dir, 'ckpt.safetensors');
  await expect(dd.saveCheckpoint(file, { model, extra: { f: () => 1 } })).rejects.toThrow(/extra\.f is a function/);
  await expect(dd.saveCheckpoint(file, { model, extra: { when: new Date() } })).rejects.toThrow(/extra\.when is a Date/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  await expect(dd.saveCheckpoint(file, { model, extra: cyclic })).rejects.toThrow(/cycle/);
  expect(fs.existsSync(file)).toBe(false);
  const extra = { history: [0.5, NaN, -Infinity], nested: { ok: true, none: null, text: 'é' }, '__proto__key': 1 };
  await dd.saveCheckpoint(file, { model, extra });
  const back = await dd.loadCheckpoint(file, { model: makeModel() });
  expect(back.extra).toEqual(extra);
  expect(back.epoch).toBeUndefined();
});
