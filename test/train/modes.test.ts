import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';
import { takeRows } from '../../ts/train/batches';

const { nn } = dd;

/** Busy-waits: each forward then outlasts the 1 ms after which fit, predict and evaluate yield to the event loop. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

interface Seen {
  training: boolean;
  grad: boolean;
}

/** Dropout that records the mode of every call (grad on: a training batch; off: predict/evaluate). */
class ProbeDropout extends nn.Dropout {
  seen: Seen[] = [];
  onForward: (() => void) | null = null;
  override forward(x: dd.Tensor): dd.Tensor {
    this.seen.push({ training: this.training, grad: dd.isGradEnabled() });
    this.onForward?.();
    spin(1.2);
    return super.forward(x);
  }
}

function makeModel(seed: number) {
  dd.manualSeed(seed);
  const probe = new ProbeDropout(0.5);
  const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), probe, new nn.Linear(16, 3));
  return { model, probe };
}

function data(n: number, seed: number) {
  const rng = new TestRandom(seed);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(0, 3);
  return { x: dd.tensor(rng.float32(n * 4), [n, 4]), y: dd.tensor(y, [n], { dtype: 'int32' }) };
}

/** fit with lr 0: dropout and the interleaving are exercised, the weights stay put, so outputs can be compared afterwards. */
function startFit(model: dd.nn.Module, options: Partial<dd.FitOptions> = {}) {
  return dd.fit(model, data(64, 1), {
    epochs: 3, batchSize: 8, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0 }), loss: 'crossEntropy', seed: 2, verbose: 0, ...options,
  });
}

/** The model's outputs in evaluation mode, computed in the same batches as predict. */
function evalForward(model: dd.nn.Module, x: dd.Tensor, batchSize: number): number[] {
  const out: number[] = [];
  const stored = [...model.modules()].map((m) => m.training);
  model.eval();
  dd.noGrad(() => {
    for (let start = 0; start < x.shape[0]; start += batchSize) {
      out.push(...Array.from(model.call(takeRows(x, start, Math.min(x.shape[0], start + batchSize))).data));
    }
  });
  [...model.modules()].forEach((m, i) => (m.training = stored[i]));
  return out;
}

function modes(model: dd.nn.Module): boolean[] {
  return [...model.modules()].map((m) => m.training);
}

/** Waits until fit has run n training batches, so what starts next starts mid-epoch. */
async function afterTrainingBatches(probe: ProbeDropout, n: number): Promise<void> {
  while (probe.seen.filter((s) => s.grad).length < n) await new Promise((r) => setImmediate(r));
}

/** Interleaved: some predict/evaluate calls fall between training batches. */
function interleaved(seen: Seen[]): boolean {
  const first = seen.findIndex((s) => s.grad);
  const last = seen.length - 1 - [...seen].reverse().findIndex((s) => s.grad);
  return seen.slice(first, last).some((s) => !s.grad);
}

test('predict running alongside fit on the same model: every training batch keeps dropout on, predict runs in eval', async () => {
  const { model, probe } = makeModel(1);
  const x = data(256, 3).x;
  const fitting = startFit(model);
  await afterTrainingBatches(probe, 2);
  const predicting = dd.predict(model, x, { batchSize: 16 });
  const [history, pred] = await Promise.all([fitting, predicting]);
  expect(history.history.loss).toHaveLength(3);

  const seen = probe.seen.slice();
  expect(interleaved(seen)).toBe(true);
  const train = seen.filter((s) => s.grad);
  expect(train).toHaveLength(24);
  expect(train.every((s) => s.training)).toBe(true);
  const inference = seen.filter((s) => !s.grad);
  expect(inference).toHaveLength(16);
  expect(inference.every((s) => !s.training)).toBe(true);

  expect(pred.shape).toEqual([256, 3]);
  expect(Array.from(pred.data)).toEqual(evalForward(model, x, 16));
  expect(modes(model).every((m) => m)).toBe(true);
});

test('evaluate running alongside fit on the same model: training batches in training mode, the same logs as evaluate alone', async () => {
  const { model, probe } = makeModel(2);
  const test = data(256, 4);
  const options: dd.EvaluateOptions = { loss: 'crossEntropy', metrics: ['accuracy'], batchSize: 16 };
  const fitting = startFit(model);
  await afterTrainingBatches(probe, 2);
  const [, logs] = await Promise.all([fitting, dd.evaluate(model, test, options)]);

  const seen = probe.seen.slice();
  expect(interleaved(seen)).toBe(true);
  expect(seen.filter((s) => s.grad).every((s) => s.training)).toBe(true);
  expect(seen.filter((s) => !s.grad)).toHaveLength(16);
  expect(seen.filter((s) => !s.grad).every((s) => !s.training)).toBe(true);
  expect(await dd.evaluate(model, test, options)).toEqual(logs);
});

test('two predicts and a fit with validation, all at once on one model', async () => {
  const { model, probe } = makeModel(3);
  const x = data(128, 5).x;
  const [, a, b] = await Promise.all([
    startFit(model, { validationData: data(32, 6), validationBatchSize: 8 }),
    dd.predict(model, x, { batchSize: 16 }),
    dd.predict(model, x, { batchSize: 16 }),
  ]);
  const train = probe.seen.filter((s) => s.grad);
  expect(train).toHaveLength(24);
  expect(train.every((s) => s.training)).toBe(true);
  expect(probe.seen.filter((s) => !s.grad).every((s) => !s.training)).toBe(true); // validation included
  const expected = evalForward(model, x, 16);
  expect(Array.from(a.data)).toEqual(expected);
  expect(Array.from(b.data)).toEqual(expected);
});

describe.each([
  ['train()', (m: dd.nn.Sequential) => m.train()],
  ['eval()', (m: dd.nn.Sequential) => m.eval()],
  ['mixed', (m: dd.nn.Sequential) => void m.train().at(2).eval()],
])('starting from %s, the stored modes are left as they were', (_name, setUp) => {
  test('by predict and evaluate', async () => {
    const { model } = makeModel(4);
    setUp(model);
    const before = modes(model);
    const d = data(40, 7);
    await dd.predict(model, d.x, { batchSize: 16 });
    expect(modes(model)).toEqual(before);
    await dd.evaluate(model, d, { loss: 'crossEntropy', batchSize: 16 });
    expect(modes(model)).toEqual(before);
  });

  test('by fit, which still trains with dropout on and validates with it off', async () => {
    const { model, probe } = makeModel(5);
    setUp(model);
    const before = modes(model);
    await startFit(model, { epochs: 2, validationData: data(16, 8) });
    expect(modes(model)).toEqual(before);
    expect(probe.seen.filter((s) => s.grad).map((s) => s.training)).toEqual(Array(16).fill(true));
    expect(probe.seen.filter((s) => !s.grad).map((s) => s.training)).toEqual(Array(4).fill(false));
  });

  test('by a fit that throws midway', async () => {
    const { model } = makeModel(6);
    setUp(model);
    const before = modes(model);
    const boom: dd.Callback = {
      onBatchEnd: (b) => {
        if (b === 1) throw new Error('boom');
      },
    };
    await expect(startFit(model, { callbacks: [boom] })).rejects.toThrow('boom');
    expect(modes(model)).toEqual(before);
  });
});

test('predict on model A leaves model B alone', async () => {
  const a = makeModel(7);
  const b = makeModel(8);
  b.model.train();
  const bModes: boolean[][] = [];
  a.probe.onForward = () => void bModes.push(modes(b.model));
  await dd.predict(a.model, data(64, 9).x, { batchSize: 16 });
  expect(a.probe.seen.map((s) => s.training)).toEqual([false, false, false, false]);
  expect(bModes).toHaveLength(4);
  expect(bModes.every((ms) => ms.every((m) => m))).toBe(true);
});

describe('nn.withMode', () => {
  test('sync: returns fn’s value; the tree reads as asked inside, stored modes outside', () => {
    const { model, probe } = makeModel(10);
    const other = new nn.Linear(2, 2);
    expect(nn.withMode(model, false, () => {
      expect(modes(model).every((m) => !m)).toBe(true);
      expect(other.training).toBe(true);
      return 42;
    })).toBe(42);
    expect(modes(model).every((m) => m)).toBe(true);
    model.eval();
    nn.withMode(model, true, () => {
      expect(modes(model).every((m) => m)).toBe(true);
      probe.call(dd.ones([8]));
    });
    expect(probe.seen.map((s) => s.training)).toEqual([true]);
    expect(modes(model).every((m) => !m)).toBe(true);
  });

  test('async: the mode holds after awaits, and code running meanwhile outside sees the stored mode', async () => {
    const { model } = makeModel(11);
    const inside: boolean[][] = [];
    const running = nn.withMode(model, false, async () => {
      inside.push(modes(model));
      await new Promise((r) => setImmediate(r));
      inside.push(modes(model));
      await new Promise((r) => setTimeout(r, 2));
      await Promise.resolve();
      inside.push(modes(model));
      return 'done';
    });
    expect(running).toBeInstanceOf(Promise);
    expect(modes(model).every((m) => m)).toBe(true); // fn is suspended: outside it, the stored mode
    expect(await running).toBe('done');
    expect(inside).toEqual([modes(model).map(() => false), modes(model).map(() => false), modes(model).map(() => false)]);
    expect(modes(model).every((m) => m)).toBe(true);
  });

  test('nested calls layer: the inner one decides for its tree, the outer one for the rest', async () => {
    const { model } = makeModel(12);
    const inner = model.at(2);
    const other = makeModel(13).model;
    await nn.withMode(model, false, async () => {
      await nn.withMode(inner, true, async () => {
        await new Promise((r) => setImmediate(r));
        expect(modes(model)).toEqual([false, false, false, true, false]);
        nn.withMode(model, true, () => expect(modes(model).every((m) => m)).toBe(true));
        await nn.withMode(other, true, async () => {
          await Promise.resolve();
          expect(modes(model)).toEqual([false, false, false, true, false]);
          expect(modes(other).every((m) => m)).toBe(true);
        });
      });
      expect(modes(model).every((m) => !m)).toBe(true);
      // predict and fit inside layer the same way, and leave the outer mode in force afterwards
      await dd.predict(model, data(4, 14).x);
      expect(modes(model).every((m) => !m)).toBe(true);
    });
    expect(modes(model).every((m) => m)).toBe(true);
  });

  test('stored modes set inside take effect outside; an exception leaves them untouched', async () => {
    const { model } = makeModel(15);
    nn.withMode(model, false, () => {
      model.at(0).eval();
      model.at(3).training = false;
      expect(model.at(0).training).toBe(false);
      model.at(1).train();
      expect(model.at(1).training).toBe(false); // the override wins while fn runs
    });
    expect(modes(model)).toEqual([true, false, true, true, false]);

    model.train();
    expect(() => nn.withMode(model, false, () => {
      throw new Error('sync');
    })).toThrow('sync');
    expect(modes(model).every((m) => m)).toBe(true);
    model.eval();
    await expect(nn.withMode(model, true, async () => {
      await new Promise((r) => setImmediate(r));
      throw new Error('async');
    })).rejects.toThrow('async');
    expect(modes(model).every((m) => !m)).toBe(true);
  });

  test('the mode is not a field: parameters, children and the state dict are as before', () => {
    const { model } = makeModel(16);
    const lin = model.at(0);
    expect(Object.keys(lin)).not.toContain('training');
    expect([...model.namedChildren()].map(([n]) => n)).toEqual(['0', '1', '2', '3']);
    expect(Object.keys(model.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    nn.withMode(model, false, () => expect(model.parameters()).toHaveLength(4));
  });

  test('bad arguments are TypeErrors', () => {
    const m = new nn.Linear(2, 2);
    expect(() => nn.withMode({} as dd.nn.Module, true, () => 0)).toThrow(TypeError);
    expect(() => nn.withMode(m, 'eval' as unknown as boolean, () => 0)).toThrow(TypeError);
    expect(() => nn.withMode(m, true, null as unknown as () => number)).toThrow(TypeError);
  });
});
