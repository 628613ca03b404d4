/** fit, evaluate and predict on models with several outputs (a main head and an auxiliary one, as in deep supervision). */
import * as dd from '../../ts/index';
import { iterateBatches, checkData, seededRandom } from '../../ts/train/batches';
import { toyHeadsData } from '../support/toy-heads';

const { nn } = dd;
type T = dd.Tensor;

/** A shared trunk with a 3-class main head and a 2-class auxiliary head, returned as a record. */
class TwoHeads extends nn.Module<{ main: T; aux: T }> {
  readonly trunk = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU());
  readonly main = new nn.Linear(16, 3);
  readonly aux = new nn.Linear(16, 2);
  forward(x: T) {
    const h = this.trunk.call(x);
    return { main: this.main.call(h), aux: this.aux.call(h) };
  }
}

/** The same heads returned as an array [main, aux]. */
class TwoHeadsArray extends nn.Module<[T, T]> {
  readonly inner = new TwoHeads();
  forward(x: T): [T, T] {
    const { main, aux } = this.inner.call(x);
    return [main, aux];
  }
}

function build(seed: number): TwoHeads {
  dd.manualSeed(seed);
  return new TwoHeads();
}

function copyOf(t: T): number[] {
  return Array.from(t.data);
}

async function train(auxWeight: number) {
  const d = toyHeadsData(400, 1);
  const model = build(7);
  const auxBefore = [copyOf(model.aux.weight), copyOf(model.aux.bias!)];
  const history = await dd.fit(model, { x: d.x, y: { main: d.main, aux: d.aux } }, {
    optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-2 }),
    loss: 'crossEntropy',
    lossWeights: { aux: auxWeight },
    metrics: ['accuracy'],
    epochs: 12, batchSize: 32, seed: 3, verbose: 0, validationSplit: 0.25,
  });
  return { model, history: history.history, auxBefore };
}

test('two heads: the logged loss is the weighted total, each output logs its loss and metrics; a weight of 0 leaves the auxiliary head untrained', async () => {
  const withAux = await train(1);
  const withoutAux = await train(0);

  expect(Object.keys(withAux.history)).toEqual([
    'loss', 'main_loss', 'aux_loss', 'main_accuracy', 'aux_accuracy',
    'val_loss', 'val_main_loss', 'val_aux_loss', 'val_main_accuracy', 'val_aux_accuracy', 'lr',
  ]);
  expect(Object.keys(withoutAux.history)).toEqual(Object.keys(withAux.history));

  const last = (h: Record<string, number[]>, k: string) => h[k][h[k].length - 1];
  for (const { history: h } of [withAux, withoutAux]) {
    // The main head learns either way.
    expect(last(h, 'main_loss')).toBeLessThan(0.6 * h.main_loss[0]);
    expect(last(h, 'val_main_accuracy')).toBeGreaterThan(0.8);
  }
  // loss = main_loss + w · aux_loss, epoch by epoch (means of per-batch values weighted alike).
  withAux.history.loss.forEach((l, i) => expect(l).toBeCloseTo(withAux.history.main_loss[i] + withAux.history.aux_loss[i], 5));
  withoutAux.history.loss.forEach((l, i) => expect(l).toBeCloseTo(withoutAux.history.main_loss[i], 5));
  withAux.history.val_loss.forEach((l, i) => expect(l).toBeCloseTo(withAux.history.val_main_loss[i] + withAux.history.val_aux_loss[i], 5));

  // Weight 1: the auxiliary head learns its task. Weight 0: its parameters never move and its loss does not fall.
  expect(last(withAux.history, 'aux_loss')).toBeLessThan(0.5 * withAux.history.aux_loss[0]);
  expect(last(withAux.history, 'val_aux_accuracy')).toBeGreaterThan(0.85);
  expect(last(withoutAux.history, 'aux_loss')).toBeGreaterThan(0.9 * withoutAux.history.aux_loss[0]);
  expect(copyOf(withoutAux.model.aux.weight)).toEqual(withoutAux.auxBefore[0]);
  expect(copyOf(withoutAux.model.aux.bias!)).toEqual(withoutAux.auxBefore[1]);
  expect(copyOf(withAux.model.aux.weight)).not.toEqual(withAux.auxBefore[0]);
});

test('an array of outputs: one loss per output, metrics per output, names output0, output1; evaluate and predict keep the layout', async () => {
  const d = toyHeadsData(120, 2);
  dd.manualSeed(4);
  const model = new TwoHeadsArray();
  const y: [T, T] = [d.main, d.aux];
  const history = await dd.fit(model, { x: d.x, y }, {
    optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }),
    loss: ['crossEntropy', (p: T, t: T) => dd.nn.functional.crossEntropy(p, t)],
    lossWeights: [1, 0.5],
    metrics: [['accuracy'], []],
    epochs: 2, batchSize: 16, verbose: 0,
  });
  expect(Object.keys(history.history)).toEqual(['loss', 'output0_loss', 'output1_loss', 'output0_accuracy', 'lr']);
  history.history.loss.forEach((l, i) => expect(l).toBeCloseTo(history.history.output0_loss[i] + 0.5 * history.history.output1_loss[i], 5));

  const logs = await dd.evaluate(model, { x: d.x, y }, { batchSize: 50, loss: 'crossEntropy', lossWeights: [1, 0.5] });
  expect(Object.keys(logs)).toEqual(['loss', 'output0_loss', 'output1_loss', 'output0_accuracy', 'output1_accuracy']);
  const [p0, p1] = dd.noGrad(() => model.eval().call(d.x));
  model.train();
  const l0 = dd.nn.functional.crossEntropy(p0, d.main).item();
  const l1 = dd.nn.functional.crossEntropy(p1, d.aux).item();
  expect(logs.output0_loss).toBeCloseTo(l0, 5);
  expect(logs.output1_loss).toBeCloseTo(l1, 5);
  expect(logs.loss).toBeCloseTo(l0 + 0.5 * l1, 5);
  expect(logs.output0_accuracy).toBeCloseTo(dd.accuracy(p0, d.main), 10);

  // predict: the same array, each output concatenated over the batches (120 rows in batches of 50).
  const out = await dd.predict(model, d.x, { batchSize: 50 });
  expect(Array.isArray(out)).toBe(true);
  expect(out[0].shape).toEqual([120, 3]);
  expect(out[1].shape).toEqual([120, 2]);
  for (let i = 0; i < p0.numel; i++) expect(out[0].data[i]).toBeCloseTo(p0.data[i], 5);
  for (let i = 0; i < p1.numel; i++) expect(out[1].data[i]).toBeCloseTo(p1.data[i], 5);
});

test('predict on a record of outputs gives a record; evaluate names metrics per output, or only for the outputs a record of metrics names', async () => {
  const d = toyHeadsData(70, 3);
  const model = build(5);
  const out = await dd.predict(model, d.x, { batchSize: 32 });
  expect(Object.keys(out)).toEqual(['main', 'aux']);
  expect(out.main.shape).toEqual([70, 3]);
  expect(out.aux.shape).toEqual([70, 2]);
  const direct = dd.noGrad(() => model.eval().call(d.x));
  for (let i = 0; i < direct.aux.numel; i++) expect(out.aux.data[i]).toBeCloseTo(direct.aux.data[i], 5);

  const data = { x: d.x, y: { main: d.main, aux: d.aux } };
  expect(Object.keys(await dd.evaluate(model, data))).toEqual(['main_accuracy', 'aux_accuracy']);
  expect(Object.keys(await dd.evaluate(model, data, { metrics: { aux: ['accuracy'] } }))).toEqual(['aux_accuracy']);
  const logs = await dd.evaluate(model, data, { loss: { main: 'crossEntropy', aux: 'crossEntropy' }, lossWeights: { main: 2 } });
  expect(logs.loss).toBeCloseTo(2 * logs.main_loss + logs.aux_loss, 5);
});

test('targets per output are shuffled with x: every batch row keeps its own targets', async () => {
  const n = 37;
  const ids = dd.arange(0, n).reshape([n, 1]);
  const data = checkData({ x: ids, y: { a: dd.mul(ids, 10), b: dd.arange(0, n) } }, 'test');
  let rows = 0;
  for await (const b of iterateBatches(data, 8, seededRandom(5), 'test')) {
    const y = b.y as { a: T; b: T };
    const x = Array.from(b.x.data);
    expect(Array.from(y.a.data)).toEqual(x.map((v) => v * 10));
    expect(Array.from(y.b.data)).toEqual(x);
    rows += x.length;
  }
  expect(rows).toBe(n);
});

test('an iterable of batches may carry targets per output', async () => {
  const d = toyHeadsData(40, 4);
  dd.manualSeed(1);
  const model = new TwoHeadsArray();
  const batches = [0, 20].map((s) => [d.x.narrow(0, s, 20), [d.main.narrow(0, s, 20), d.aux.narrow(0, s, 20)]] as [T, [T, T]]);
  const logs = await dd.evaluate(model, batches, { loss: 'crossEntropy' });
  expect(Object.keys(logs)).toEqual(['loss', 'output0_loss', 'output1_loss', 'output0_accuracy', 'output1_accuracy']);
  const whole = await dd.evaluate(model, { x: d.x, y: [d.main, d.aux] }, { loss: 'crossEntropy', batchSize: 20 });
  expect(logs.loss).toBeCloseTo(whole.loss, 6);
});

test('mismatches between outputs, losses, weights, metrics and targets are errors that say what the model returns', async () => {
  const d = toyHeadsData(20, 5);
  const model = build(1);
  const y = { main: d.main, aux: d.aux };
  const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
  const fit = (data: unknown, options: object) => dd.fit(model as dd.nn.Module<dd.nn.ModuleOutput>, data as never, { optimizer, loss: 'crossEntropy', verbose: 0, ...options } as never);

  await expect(fit({ x: d.x, y: d.main }, {})).rejects.toThrow(/targets y must be laid out as the model's outputs \(a record of "main", "aux"\), but y is one tensor/);
  await expect(fit({ x: d.x, y: { main: d.main, extra: d.aux } }, {})).rejects.toThrow(/but y is a record of "main", "extra"/);
  await expect(fit({ x: d.x, y: [d.main, d.aux] }, {})).rejects.toThrow(/but y is an array of 2 tensors/);
  await expect(fit({ x: d.x, y: { main: d.main, aux: d.aux.narrow(0, 0, 10) } }, {})).rejects.toThrow(/x has 20 samples but y\.aux has 10/);
  await expect(fit({ x: d.x, y: { main: d.main, aux: 3 } }, {})).rejects.toThrow(TypeError);
  await expect(fit({ x: d.x, y }, { loss: { main: 'crossEntropy', axu: 'crossEntropy' } }))
    .rejects.toThrow(/loss names an output "axu" that the model does not have \(the model's outputs are "main", "aux"; did you mean "aux"\?\)/);
  await expect(fit({ x: d.x, y }, { loss: { main: 'crossEntropy' } })).rejects.toThrow(/loss has no entry for output "aux"/);
  await expect(fit({ x: d.x, y }, { loss: ['crossEntropy', 'crossEntropy'] })).rejects.toThrow(/loss is an array, but the model's outputs are "main", "aux": give a record/);
  await expect(fit({ x: d.x, y }, { lossWeights: { mian: 1 } })).rejects.toThrow(/lossWeights names an output "mian".*did you mean "main"/);
  await expect(fit({ x: d.x, y }, { lossWeights: { aux: -1 } })).rejects.toThrow(/lossWeights\["aux"\] must be a finite number >= 0/);
  await expect(fit({ x: d.x, y }, { lossWeights: 0.5 })).rejects.toThrow(/lossWeights must be an array or a record/);
  await expect(fit({ x: d.x, y }, { metrics: { main: ['accuracy'], head: ['accuracy'] } })).rejects.toThrow(/metrics names an output "head"/);
  await expect(fit({ x: d.x, y }, { loss: { main: 'crossEntropy', aux: 'hinge' } })).rejects.toThrow(/unknown loss "hinge"/);

  // Three outputs, two losses.
  class Three extends nn.Module<T[]> {
    readonly a = new nn.Linear(4, 2);
    forward(x: T) {
      const h = this.a.call(x);
      return [h, h, h];
    }
  }
  const three = new Three();
  const threeOpt = new dd.optim.SGD(three.parameters(), { lr: 0.1 });
  await expect(dd.fit(three, { x: d.x, y: [d.aux, d.aux, d.aux] }, { optimizer: threeOpt, loss: ['crossEntropy', 'crossEntropy'], verbose: 0 }))
    .rejects.toThrow(/the model returns 3 outputs, but loss has 2 entries/);
  await expect(dd.fit(three, { x: d.x, y: [d.aux, d.aux] }, { optimizer: threeOpt, loss: 'crossEntropy', verbose: 0 }))
    .rejects.toThrow(/laid out as the model's outputs \(an array of 3 tensors\), but y is an array of 2 tensors/);

  // One output: per-output options make no sense.
  const single = new nn.Sequential(new nn.Linear(4, 3));
  const singleOpt = new dd.optim.SGD(single.parameters(), { lr: 0.1 });
  await expect(dd.fit(single, { x: d.x, y: d.main }, { optimizer: singleOpt, loss: 'crossEntropy', lossWeights: [1] as never, verbose: 0 }))
    .rejects.toThrow(/lossWeights is for models with several outputs/);
  await expect(dd.fit(single, { x: d.x, y: { main: d.main } as never }, { optimizer: singleOpt, loss: 'crossEntropy', verbose: 0 }))
    .rejects.toThrow(/laid out as the model's outputs \(one tensor\), but y is a record of "main"/);

  // A forward that returns something else.
  class Bad extends nn.Module<T[]> {
    forward(): T[] {
      return [];
    }
  }
  await expect(dd.evaluate(new Bad(), { x: d.x, y: [d.main] })).rejects.toThrow(/forward must return a Tensor, or a non-empty array or record of tensors/);
});

test('the option types follow the model\'s outputs', async () => {
  const d = toyHeadsData(16, 6);
  const model = build(1);
  const optimizer = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
  const h = await dd.fit(model, { x: d.x, y: { main: d.main, aux: d.aux } }, { optimizer, loss: { main: 'crossEntropy', aux: 'crossEntropy' }, lossWeights: { aux: 0.3 }, verbose: 0 });
  expect(h.history.loss[0]).toBeCloseTo(h.history.main_loss[0] + 0.3 * h.history.aux_loss[0], 5);
  // Never called: the lines below are checked by the compiler (ts-jest fails the file if an error is missing).
  const typed = () => {
    // @ts-expect-error: the targets need every output
    void dd.fit(model, { x: d.x, y: { main: d.main } }, { optimizer, loss: 'crossEntropy' });
    // @ts-expect-error: no output is named 'head'
    void dd.fit(model, { x: d.x, y: { main: d.main, aux: d.aux } }, { optimizer, loss: { main: 'crossEntropy', aux: 'mse', head: 'mse' } });
    const single = new nn.Linear(4, 3);
    // @ts-expect-error: a one-output model takes no lossWeights
    void dd.fit(single, { x: d.x, y: d.main }, { optimizer, loss: 'crossEntropy', lossWeights: [1] });
    const p: Promise<{ main: T; aux: T }> = dd.predict(model, d.x);
    const q: Promise<T> = dd.predict(single, d.x);
    return [p, q];
  };
  void typed;
});
