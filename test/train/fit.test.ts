import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';
import { accuracy } from '../../ts/train/metrics';
import { takeRows } from '../../ts/train/batches';

const { nn } = dd;

/** Two interleaved spirals-ish blobs: 3 classes separable by a small MLP, not by a line. */
function synthetic(n: number, seed: number) {
  const rng = new TestRandom(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    const r = rng.uniform(0.2, 1);
    const a = (c * 2 * Math.PI) / 3 + r * 2 + rng.uniform(-0.15, 0.15);
    x[2 * i] = r * Math.cos(a);
    x[2 * i + 1] = r * Math.sin(a);
    y[i] = c;
  }
  return { x: dd.tensor(x, [n, 2]), y: dd.tensor(y, [n], { dtype: 'int32' }) };
}

function mlp() {
  return new nn.Sequential(new nn.Linear(2, 32), new nn.Tanh(), new nn.Linear(32, 32), new nn.ReLU(), new nn.Linear(32, 3));
}

async function trainOnce(seed: number) {
  dd.manualSeed(seed);
  const model = mlp();
  const data = synthetic(600, 1);
  const history = await dd.fit(model, data, {
    epochs: 30, batchSize: 32, optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-2 }),
    loss: 'crossEntropy', metrics: ['accuracy'], validationSplit: 0.2, seed: 5, verbose: 0,
  });
  return { model, history };
}

test('fit learns a small synthetic problem, deterministically, with Keras-style history', async () => {
  const a = await trainOnce(0);
  const h = a.history.history;
  expect(Object.keys(h)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']);
  expect(h.loss).toHaveLength(30);
  expect(h.loss[29]).toBeLessThan(h.loss[0] * 0.5);
  expect(h.accuracy[29]).toBeGreaterThan(0.9);
  expect(h.val_accuracy[29]).toBeGreaterThan(0.85);
  const b = await trainOnce(0);
  expect(b.history.history.loss).toEqual(h.loss);
  expect(Array.from(b.model.parameters()[0].data)).toEqual(Array.from(a.model.parameters()[0].data));

  const test = synthetic(300, 2);
  const logs = await dd.evaluate(a.model, test, { loss: 'crossEntropy', batchSize: 64 });
  expect(logs.accuracy).toBeGreaterThan(0.85);
  const pred = await dd.predict(a.model, test.x, { batchSize: 64 });
  expect(pred.shape).toEqual([300, 3]);
  expect(accuracy(pred, test.y)).toBeCloseTo(logs.accuracy, 10);
  expect(a.model.training).toBe(true); // evaluate/predict restore the mode
});

test('callbacks see every stage in order and can stop training', async () => {
  const model = mlp();
  const events: string[] = [];
  const cb: dd.Callback = {
    onTrainBegin: () => void events.push('trainBegin'),
    onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
    onBatchEnd: (b, logs) => void events.push(`batch ${b} ${logs.size}`),
    onEpochEnd: async (e, logs, ctx) => {
      await new Promise((r) => setTimeout(r, 1)); // async hooks are awaited
      events.push(`epochEnd ${e} ${typeof logs.loss}`);
      if (e === 1) ctx.stopTraining = true;
    },
    onTrainEnd: () => void events.push('trainEnd'),
  };
  const history = await dd.fit(model, synthetic(10, 3), {
    epochs: 5, batchSize: 4, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy', callbacks: [cb], verbose: 0,
  });
  expect(events).toEqual([
    'trainBegin',
    'epochBegin 0', 'batch 0 4', 'batch 1 4', 'batch 2 2', 'epochEnd 0 number',
    'epochBegin 1', 'batch 0 4', 'batch 1 4', 'batch 2 2', 'epochEnd 1 number',
    'trainEnd',
  ]);
  expect(history.epoch).toEqual([0, 1]);
});

test('a learning-rate schedule callback changes the rate per epoch, logged as lr', async () => {
  const model = mlp();
  const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
  const sched = new dd.optim.StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  const h = await dd.fit(model, synthetic(12, 4), {
    epochs: 3, batchSize: 6, optimizer, loss: 'crossEntropy', verbose: 0, callbacks: [dd.callbacks.learningRateScheduler(sched)],
  });
  expect(h.history.lr).toEqual([0.1, 0.05, 0.025]);
});

test('fit serves the event loop between batches: a due timer fires before the next batch', async () => {
  const model = new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 10));
  const rng = new TestRandom(9);
  const batches = 12;
  const n = batches * 8;
  const data = {
    x: dd.tensor(rng.float32(n * 16), [n, 16]),
    y: dd.tensor(Int32Array.from({ length: n }, () => rng.int(0, 10)), [n], { dtype: 'int32' }),
  };
  // At each batch's end: note how many timers have fired, start a 0 ms timer, then hold the
  // thread for 2 ms, longer than fit's 1 ms yield interval. Fit must then yield (setImmediate)
  // after every batch, and a due timer fires in the next turn of the event loop. The first
  // yield may land in the turn fit started in, before its timers phase comes round, so batch b
  // sees at least b - 1 timers fired; a fit that never yields sees none. Wall time only grows
  // under load, so this holds on any machine, however busy.
  let fired = 0;
  const firedSeen: number[] = [];
  const holdTheThread: dd.Callback = {
    onBatchEnd: () => {
      firedSeen.push(fired);
      setTimeout(() => fired++, 0);
      const until = performance.now() + 2;
      while (performance.now() < until);
    },
  };
  await dd.fit(model, data, {
    epochs: 1, batchSize: 8, optimizer: new dd.optim.Adam(model.parameters()), loss: 'crossEntropy', verbose: 0, callbacks: [holdTheThread],
  });
  expect(firedSeen).toHaveLength(batches);
  firedSeen.forEach((seen, b) => expect(seen).toBeGreaterThanOrEqual(b - 1));
});

test('progress goes to the stream as plain lines off a terminal, and nowhere at verbose 0', async () => {
  const chunks: string[] = [];
  const stream = { isTTY: false, write: (s: string) => chunks.push(s) };
  const model = mlp();
  const opts = { epochs: 2, batchSize: 8, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy' as const, metrics: ['accuracy' as const], progressStream: stream };
  await dd.fit(model, synthetic(24, 5), opts);
  const lines = chunks.join('').split('\n').filter((l) => l);
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^Epoch 1\/2 - 3 steps - .* - loss: \d\.\d{4} - accuracy: \d\.\d{4} - lr: 0\.1000$/);
  chunks.length = 0;
  await dd.fit(model, synthetic(24, 5), { ...opts, verbose: 0 });
  expect(chunks).toHaveLength(0);
});

test('fit takes any iterable of batches (a DataLoader) and a custom loss function', async () => {
  const model = mlp();
  const data = synthetic(40, 6);
  const batches = {
    length: 2,
    *[Symbol.iterator]() {
      yield { x: takeRows(data.x, 0, 20), y: takeRows(data.y, 0, 20) };
      yield [takeRows(data.x, 20, 40), takeRows(data.y, 20, 40)] as [dd.Tensor, dd.Tensor];
    },
  };
  let calls = 0;
  const loss = (p: dd.Tensor, t: dd.Tensor) => {
    calls++;
    return dd.nn.functional.crossEntropy(p, t);
  };
  const h = await dd.fit(model, batches, { epochs: 2, optimizer: new dd.optim.Adam(model.parameters()), loss, validationData: data, verbose: 0 });
  expect(calls).toBe(4 + 2 * 2); // 2 batches × 2 epochs of training, + validation (2 batches of 32 and 8)
  expect(h.history.val_loss).toHaveLength(2);
});

test('bad arguments give clear errors', async () => {
  const model = mlp();
  const data = synthetic(9, 7);
  const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
  await expect(dd.fit(model, data, { optimizer, loss: 'nope' as never })).rejects.toThrow(/unknown loss "nope"/);
  await expect(dd.fit(model, { x: data.x, y: takeRows(data.y, 0, 5) }, { optimizer, loss: 'mse' })).rejects.toThrow(/x has 9 samples but y has 5/);
  await expect(dd.fit(model, data, { optimizer, loss: 'crossEntropy', batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
  await expect(dd.fit(model, data, { optimizer, loss: 'crossEntropy', validationSplit: 1.5 })).rejects.toThrow(/validationSplit/);
  await expect(dd.fit(model, 42 as never, { optimizer, loss: 'crossEntropy' })).rejects.toThrow(/data must be/);
});

test('misspelt options are errors, never silently ignored: fit, evaluate, predict, optimizers, parameter groups', async () => {
  const model = new nn.Sequential(new nn.Linear(2, 3));
  const data = { x: dd.rand([8, 2]), y: dd.randint(0, 3, [8]) };
  const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
  // fit({ epoch: 3 }) used to run one epoch without a word.
  await expect(dd.fit(model, data, { optimizer, loss: 'crossEntropy', epoch: 3 } as never)).rejects.toThrow(/fit: unknown option "epoch" \(did you mean "epochs"\?/);
  await expect(dd.evaluate(model, data, { batch: 4 } as never)).rejects.toThrow(/evaluate: unknown option "batch"/);
  await expect(dd.predict(model, data.x, { batchsize: 4 } as never)).rejects.toThrow(/predict: unknown option "batchsize"/);
  await expect(dd.predict(model, data.x, null as never)).rejects.toThrow(TypeError);
  expect(() => new dd.optim.Adam(model.parameters(), { beta1: 0.8 } as never)).toThrow(/Adam: unknown option "beta1" \(did you mean "betas"\? known: lr, betas, eps, weightDecay\)/);
  expect(() => new dd.optim.AdamW(model.parameters(), { weight_decay: 0.1 } as never)).toThrow(/AdamW: unknown option "weight_decay" \(did you mean "weightDecay"\?/);
  expect(() => new dd.optim.SGD(model.parameters(), { lr: 0.1, momentun: 0.9 } as never)).toThrow(/SGD: unknown option "momentun" \(did you mean "momentum"\?/);
  expect(() => new dd.optim.SGD(model.parameters(), {} as never)).toThrow(/SGD: options.lr \(the learning rate\) is required/);
  expect(() => new dd.optim.RMSprop([{ params: model.parameters(), rate: 0.1 } as never])).toThrow(/RMSprop: parameter group 0: unknown option "rate" \(known: lr, alpha, eps, weightDecay, momentum, centered, params, regularizers, initialLr\)/);
  expect(() => dd.callbacks.earlyStopping({ patiance: 3 } as never)).toThrow(/earlyStopping: unknown option "patiance"/);
  expect(() => dd.callbacks.modelCheckpoint('x.safetensors', { saveBest: true } as never)).toThrow(/modelCheckpoint: unknown option "saveBest"/);
  // Every real setting still passes, in options and in groups.
  expect(() => new dd.optim.Adagrad([{ params: model.parameters(), lr: 0.1, lrDecay: 0.01, regularizers: [] }], { eps: 1e-9, initialAccumulatorValue: 0.1 })).not.toThrow();
});

test('layers refuse options they do not have, naming the ones they do', () => {
  expect(() => new nn.Conv2d(4, 8, 3, { group: 2 } as never)).toThrow(/Conv2d: unknown option "group" \(did you mean "groups"\? known: stride, padding, dilation, groups/);
  expect(() => new nn.Conv2d(4, 8, 3, { strides: 2 } as never)).toThrow(/Conv2d: unknown option "strides" \(did you mean "stride"\?/);
  expect(() => new nn.Linear(4, 8, { useBias: false } as never)).toThrow(/Linear: unknown option "useBias"/);
  expect(() => new nn.Embedding(10, 4, { padIdx: 0 } as never)).toThrow(/Embedding: unknown option "padIdx"/);
  expect(() => new nn.Highway(4, { gate: 1 } as never)).toThrow(/Highway: unknown option "gate"/);
  expect(() => new nn.ResidualDense(4, { hidden: 8 } as never)).toThrow(/ResidualDense: unknown option "hidden"/);
  expect(() => new nn.ResidualConv2d(4, { kernel: 3 } as never)).toThrow(/ResidualConv2d: unknown option "kernel"/);
  // Their real options still pass.
  expect(new nn.Conv2d(4, 8, 3, { stride: 2, padding: 1, dilation: 1, bias: false, kernelRegularizer: dd.regularize.l2(1e-4) }).stride).toEqual([2, 2]);
  expect(new nn.Linear(4, 8, { bias: false, init: 'heUniform', kernelConstraint: dd.regularize.maxNorm(3) }).bias).toBeNull();
});
