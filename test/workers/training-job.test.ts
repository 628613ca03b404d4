/** fitInWorker: a training job on a worker thread gives what fit gives on this thread, streams progress, stops, fails cleanly. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn } = dd;
const SETUP = path.join(__dirname, '..', 'fixtures', 'worker-setup.js');

/** Three noisy classes in 8 dimensions. */
function samples(n: number, seed: number) {
  const rng = new TestRandom(seed);
  const x = new Float32Array(n * 8);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 8; j++) x[i * 8 + j] = rng.uniform(-1, 1) + (j % 3 === y[i] ? 1 : 0);
  }
  return { x: dd.tensor(x, [n, 8]), y: dd.tensor(y, [n], { dtype: 'int32' }) };
}

function mlp(seed: number) {
  dd.manualSeed(seed);
  return new nn.Sequential(new nn.Linear(8, 32), new nn.ReLU(), new nn.Dropout(0.3), new nn.Linear(32, 3));
}

function sameWeights(a: dd.nn.Module, b: dd.nn.Module): boolean {
  const da = a.stateDict(), db = b.stateDict();
  return Object.keys(da).every((k) => {
    const p = da[k].data, q = db[k].data;
    return p.length === q.length && p.every((v, i) => Object.is(v, q[i]));
  });
}

afterEach(() => dd.setNumThreads(dd.backendInfo().hardwareThreads));

test('a seeded job gives weights bit-identical to the same seeded fit on this thread, and the same history', async () => {
  const data = samples(480, 1);
  const settings = { epochs: 2, batchSize: 32, loss: 'crossEntropy' as const, metrics: ['accuracy' as const], seed: 9, validationSplit: 0.25 };
  dd.setNumThreads(1);
  const here = mlp(3);
  const optHere = new dd.optim.Adam(here.parameters(), { lr: 1e-2 });
  dd.manualSeed(42);
  const expected = await dd.fit(here, data, { ...settings, optimizer: optHere, verbose: 0 });

  const there = mlp(3);
  const optThere = new dd.optim.Adam(there.parameters(), { lr: 1e-2 });
  dd.manualSeed(42);
  const job = dd.fitInWorker(there, data, { ...settings, optimizer: optThere, threads: 1 });
  const batches: number[] = [];
  job.on('batch', (e: dd.BatchEvent) => batches.push(e.batch));
  const history = await job;

  expect(sameWeights(here, there)).toBe(true);
  expect(history.history).toEqual(expected.history);
  expect(history.epoch).toEqual([0, 1]);
  expect(batches.length).toBe(2 * 12);
  // The optimizer's state came back too: one more step on each side stays identical.
  expect(optThere.stateDict().state).toEqual(optHere.stateDict().state);
  // The caller's tensors were copied, not moved.
  expect(data.x.data.length).toBe(480 * 8);
});

test('the job rebuilds parameter groups, attached policies and ready-made callbacks in the worker', async () => {
  const data = samples(300, 2);
  const build = () => {
    const m = mlp(5);
    dd.regularize.attach((m as unknown as { 0: dd.nn.Linear })[0].weight, dd.regularize.maxNorm(0.8));
    return m;
  };
  const run = async (inWorker: boolean) => {
    const model = build();
    const [first, ...rest] = model.parameters();
    const optimizer = new dd.optim.SGD([
      { params: [first], lr: 0.05, regularizers: [dd.regularize.l2(1e-3)] },
      { params: rest },
    ], { lr: 0.1, momentum: 0.9 });
    const callbacks = [
      dd.callbacks.learningRateScheduler(new dd.optim.StepLR(optimizer, { stepSize: 1, gamma: 0.5 })),
      dd.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, restoreBestWeights: true }),
      dd.callbacks.terminateOnNaN(),
    ];
    const settings = { epochs: 3, batchSize: 50, loss: 'crossEntropy' as const, seed: 1, validationSplit: 0.2, optimizer, callbacks };
    dd.manualSeed(11);
    dd.setNumThreads(1);
    const history = inWorker ? await dd.fitInWorker(model, data, { ...settings, threads: 1 }) : await dd.fit(model, data, { ...settings, verbose: 0 });
    return { model, history, optimizer, schedule: (callbacks[0] as dd.callbacks.SchedulerCallback).scheduler as dd.optim.StepLR };
  };
  const a = await run(false);
  const b = await run(true);
  expect(b.history.history.lr).toEqual([0.05, 0.025, 0.0125]);
  expect(b.history.history).toEqual(a.history.history);
  expect(sameWeights(a.model, b.model)).toBe(true);
  // The caller's optimizer and schedule are where the worker's ended.
  expect(b.schedule.lastEpoch).toBe(3);
  expect(b.optimizer.paramGroups.map((g) => g.lr)).toEqual(a.optimizer.paramGroups.map((g) => g.lr));
});

test('modelCheckpoint writes checkpoints from the worker that load back into the caller', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-job-'));
  try {
    const model = mlp(1);
    const optimizer = new dd.optim.Adam(model.parameters(), { lr: 1e-2 });
    await dd.fitInWorker(model, samples(90, 3), {
      epochs: 2, batchSize: 30, loss: 'crossEntropy', optimizer, threads: 1,
      callbacks: [dd.callbacks.modelCheckpoint(path.join(dir, 'ckpt-{epoch}.safetensors'))],
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['ckpt-1.safetensors', 'ckpt-2.safetensors']);
    const again = mlp(2);
    const loaded = await dd.loadCheckpoint(path.join(dir, 'ckpt-2.safetensors'), { model: again });
    expect(loaded.epoch).toBe(2);
    expect(sameWeights(model, again)).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('progress arrives as events and through the async iterator, with the weights of every epoch when asked', async () => {
  const model = mlp(1);
  const job = dd.fitInWorker(model, samples(120, 4), {
    epochs: 3, batchSize: 40, loss: 'crossEntropy', optimizer: { type: 'Adam', lr: 1e-2 }, threads: 1, weightsEveryEpoch: true,
  });
  const seen: string[] = [];
  const epochWeights: Array<Record<string, dd.Tensor>> = [];
  for await (const e of job) {
    seen.push(`${e.type}${e.epoch}`);
    if (e.type === 'epoch') epochWeights.push(e.weights as Record<string, dd.Tensor>);
  }
  expect(seen).toEqual(['batch0', 'batch0', 'batch0', 'epoch0', 'batch1', 'batch1', 'batch1', 'epoch1', 'batch2', 'batch2', 'batch2', 'epoch2']);
  expect(epochWeights).toHaveLength(3);
  // The last epoch's weights are the model's final ones; a pool or another model can load them.
  const copy = mlp(7);
  copy.loadStateDict(epochWeights[2]);
  expect(sameWeights(copy, model)).toBe(true);
  expect(epochWeights[0]['0.weight']).toBeInstanceOf(dd.Tensor);
});

test('an AbortSignal stops the job at the next batch; it resolves with the epochs so far and the weights so far', async () => {
  const model = mlp(1);
  const before = model.stateDict();
  const controller = new AbortController();
  const job = dd.fitInWorker(model, samples(3000, 5), {
    epochs: 50, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.05 }, threads: 1, signal: controller.signal,
  });
  let batches = 0;
  job.on('batch', () => {
    if (++batches === 5) controller.abort(new Error('enough'));
  });
  const history = await job;
  expect(history.epoch).toEqual([0]);
  expect(history.stopReason).toBe('aborted: enough');
  expect(batches).toBeGreaterThanOrEqual(5);
  expect(batches).toBeLessThan(300);
  expect(sameWeights(model, (() => { const m = mlp(1); m.loadStateDict(before); return m; })())).toBe(false);
});

test('a signal already aborted trains nothing and leaves the weights as they were', async () => {
  const model = mlp(1);
  const before = mlp(1);
  const history = await dd.fitInWorker(model, samples(60, 5), {
    epochs: 3, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.05 }, threads: 1, signal: AbortSignal.abort(),
  });
  expect(history.epoch).toEqual([]);
  expect(sameWeights(model, before)).toBe(true);
});

test('custom layers, loss and callbacks come from the setup module', async () => {
  // The host describes the model with its own copy of the layer, registered under the same type name
  // as the setup module registers it in the worker (a user's app imports that module in both places).
  class ScaleBy extends nn.Module {
    constructor(readonly factor: number) {
      super();
    }
    forward(x: dd.Tensor) {
      return dd.mul(x, this.factor);
    }
  }
  dd.io.registerLayer({
    type: 'test.ScaleBy', layerClass: ScaleBy,
    toConfig: (l) => ({ factor: l.factor }), fromConfig: (c) => new ScaleBy(c.number('factor')),
  });
  dd.manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(8, 3), new ScaleBy(2));
  const history = await dd.fitInWorker(model, samples(200, 6), {
    epochs: 1, batchSize: 20, optimizer: { type: 'Adam', lr: 1e-2 }, threads: 1, setup: SETUP, setupOptions: { stopAfter: 4 },
  });
  expect(history.history.loss).toHaveLength(1);
  expect(history.params.steps).toBe(10);
});

test('a throw in the worker rejects the job with its message and stack; the host goes on', async () => {
  const model = mlp(1);
  const failing = dd.fitInWorker(model, samples(100, 7), {
    epochs: 1, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.1 }, threads: 1, setup: SETUP, setupOptions: { throwAtBatch: 3 },
  });
  await expect(failing).rejects.toThrow('callback failed at batch 3');
  const err = await failing.catch((e: unknown) => e);
  expect((err as Error).stack).toMatch(/worker-setup\.js/);
  expect((err as Error).stack).toMatch(/thrown in the training worker/);

  // A model whose input does not fit its data fails inside fit, in the worker.
  const wrong = dd.fitInWorker(new nn.Sequential(new nn.Linear(5, 3)), samples(40, 7), {
    epochs: 1, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.1 }, threads: 1,
  });
  await expect(wrong).rejects.toThrow(RangeError);
  await expect(dd.fitInWorker(mlp(1), samples(30, 7), { optimizer: { type: 'SGD', lr: 0.1 }, loss: 'crossEntropy', threads: 1, setup: SETUP, setupOptions: { throwIn: 'configure' } }))
    .rejects.toThrow(/configure failed on purpose/);
  await expect(dd.fitInWorker(mlp(1), samples(30, 7), { optimizer: { type: 'SGD', lr: 0.1 }, loss: 'crossEntropy', threads: 1, setup: './no/such/module.js' }))
    .rejects.toThrow(/no\/such\/module/);
  // The host is fine: it still trains here.
  const h = await dd.fit(mlp(1), samples(30, 7), { optimizer: new dd.optim.SGD(mlp(1).parameters(), { lr: 0.1 }), loss: 'crossEntropy', verbose: 0 });
  expect(h.epoch).toEqual([0]);
});

test('terminating the worker mid-job rejects the job and leaves the caller\'s model as it was', async () => {
  const model = mlp(1);
  const before = mlp(1);
  const job = dd.fitInWorker(model, samples(3000, 8), { epochs: 50, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.1 }, threads: 1 });
  await new Promise<void>((resolve) => {
    job.once('batch', () => resolve());
  });
  await job.terminate();
  await expect(job).rejects.toThrow(/training worker stopped \(exit code 1\) before the job finished/);
  expect(sameWeights(model, before)).toBe(true);
});

test('what cannot cross threads is refused up front with a message that says what to do', () => {
  const model = mlp(1);
  const data = samples(30, 9);
  const optimizer = { type: 'SGD' as const, lr: 0.1 };
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: 'crossEntropy', callbacks: [{ onEpochEnd: () => undefined }] }))
    .toThrow(/callbacks\[0\]: this callback cannot run in a worker.*setup module/);
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: ((p: dd.Tensor) => p.sum()) as never })).toThrow(/loss must be a name/);
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: 'crossEntropy', epoch: 3 } as never)).toThrow(/unknown option "epoch"/);
  expect(() => dd.fitInWorker(model, data, { optimizer: { type: 'Nadam' } as never, loss: 'crossEntropy' })).toThrow(/optimizer type must be one of/);
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: 'crossEntropy', threads: 0 })).toThrow(RangeError);
  expect(() => dd.fitInWorker(model, [] as never, { optimizer, loss: 'crossEntropy' })).toThrow(/in-memory samples/);
  const lambda = new dd.optim.LambdaLR(new dd.optim.SGD(model.parameters(), { lr: 0.1 }), () => 1);
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: 'crossEntropy', callbacks: [dd.callbacks.learningRateScheduler(lambda)] }))
    .toThrow(/LambdaLR schedule cannot be sent to a worker/);
  class Unregistered extends nn.Module { forward(x: dd.Tensor) { return x; } }
  expect(() => dd.fitInWorker(new nn.Sequential(new Unregistered()), data, { optimizer, loss: 'crossEntropy' })).toThrow(/registerLayer/);
});

test('shared training data is read by the worker without a copy; transferData moves it', async () => {
  const data = samples(60, 10);
  const shared = { x: dd.share(data.x), y: dd.share(data.y) };
  expect(shared.x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  const a = mlp(1), b = mlp(1);
  dd.manualSeed(3);
  await dd.fitInWorker(a, shared, { epochs: 1, batchSize: 20, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.1 }, threads: 1, seed: 1 });
  const moved = { x: dd.tensor(data.x), y: dd.tensor(data.y) };
  dd.manualSeed(3);
  await dd.fitInWorker(b, moved, { epochs: 1, batchSize: 20, loss: 'crossEntropy', optimizer: { type: 'SGD', lr: 0.1 }, threads: 1, seed: 1, transferData: true });
  expect(sameWeights(a, b)).toBe(true);
  expect(moved.x.data.length).toBe(0);
});
