/** A model with several outputs trained in a worker (fitInWorker): targets per output cross threads; the job gives what fit gives here. */
import * as path from 'path';
import * as dd from '../../ts/index';
import { toyHeadsData } from '../support/toy-heads';

const { nn } = dd;
type T = dd.Tensor;
const SETUP = path.join(__dirname, '..', 'fixtures', 'two-heads-setup.js');

/** The host's copy of the setup module's layer, registered under the same type name. */
class TwoHeads extends nn.Module<{ main: T; aux: T }> {
  readonly trunk: dd.nn.Linear;
  readonly main: dd.nn.Linear;
  readonly aux: dd.nn.Linear;
  constructor(readonly inFeatures: number, readonly hidden: number) {
    super();
    this.trunk = new nn.Linear(inFeatures, hidden);
    this.main = new nn.Linear(hidden, 3);
    this.aux = new nn.Linear(hidden, 2);
  }
  forward(x: T) {
    const h = dd.relu(this.trunk.call(x));
    return { main: this.main.call(h), aux: this.aux.call(h) };
  }
}

dd.io.registerLayer({
  type: 'test.TwoHeads', layerClass: TwoHeads,
  toConfig: (l) => ({ inFeatures: l.inFeatures, hidden: l.hidden }),
  fromConfig: (c) => new TwoHeads(c.number('inFeatures'), c.number('hidden')),
});

function samples(n: number, seed: number) {
  const d = toyHeadsData(n, seed);
  return { x: d.x, y: { main: d.main, aux: d.aux } };
}

function build(): TwoHeads {
  dd.manualSeed(11);
  return new TwoHeads(4, 12);
}

function sameWeights(a: dd.nn.Module<dd.nn.ModuleOutput>, b: dd.nn.Module<dd.nn.ModuleOutput>): boolean {
  const da = a.stateDict(), db = b.stateDict();
  return Object.keys(da).every((k) => da[k].data.every((v, i) => Object.is(v, db[k].data[i])));
}

afterEach(() => dd.setNumThreads(dd.backendInfo().hardwareThreads));

test('a job on a two-headed model: targets per output cross threads, and the weights and history equal those of the same fit here', async () => {
  const data = samples(240, 1);
  const settings = {
    epochs: 2, batchSize: 32, loss: 'crossEntropy' as const, lossWeights: { aux: 0.5 }, metrics: ['accuracy' as const], seed: 4, validationSplit: 0.25,
  };
  dd.setNumThreads(1);
  const here = build();
  dd.manualSeed(42);
  const expected = await dd.fit(here, data, { ...settings, optimizer: new dd.optim.Adam(here.parameters(), { lr: 1e-2 }), verbose: 0 });

  const there = build();
  dd.manualSeed(42);
  const history = await dd.fitInWorker(there, data, { ...settings, optimizer: new dd.optim.Adam(there.parameters(), { lr: 1e-2 }), threads: 1, setup: SETUP });
  expect(Object.keys(history.history)).toEqual([
    'loss', 'main_loss', 'aux_loss', 'main_accuracy', 'aux_accuracy', 'val_loss', 'val_main_loss', 'val_aux_loss', 'val_main_accuracy', 'val_aux_accuracy', 'lr',
  ]);
  expect(history.history).toEqual(expected.history);
  expect(sameWeights(here, there)).toBe(true);
  expect(sameWeights(there, build())).toBe(false);
});

test('per-output settings must be data to cross threads; an inference pool refuses a model with several outputs', async () => {
  const data = samples(40, 2);
  const model = build();
  const optimizer = { type: 'SGD' as const, lr: 0.1 };
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: { main: 'crossEntropy', aux: ((p: T) => p.sum()) as never }, setup: SETUP }))
    .toThrow(/loss must be a name .*or names per output/);
  expect(() => dd.fitInWorker(model, data, { optimizer, loss: 'crossEntropy', metrics: { main: [{ name: 'm', fn: () => 0 }] } as never, setup: SETUP }))
    .toThrow(/metrics must be names/);
  // A mismatch is found in the worker, with fit's message.
  await expect(dd.fitInWorker(model, { x: data.x, y: data.y.main }, { optimizer, loss: 'crossEntropy', threads: 1, setup: SETUP }))
    .rejects.toThrow(/targets y must be laid out as the model's outputs/);

  // Its types take one-output models only; a JavaScript caller still gets a clear error.
  const pool = await dd.createInferencePool(model as never, { workers: 1, threadsPerWorker: 1, setup: SETUP });
  try {
    await expect(pool.predict(data.x)).rejects.toThrow(/returns several outputs.*one output tensor/);
  } finally {
    await pool.close();
  }
});
