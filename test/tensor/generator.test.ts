/** dd.Generator: random streams of their own, scoped per call, so interleaved trainings stay reproducible. */
import * as dd from '../../ts/index';

const { nn } = dd;

test('a generator is a seeded stream with a state, independent of the global one', () => {
  const g = new dd.Generator(7);
  dd.manualSeed(1);
  const globalFirst = dd.rand([4]).toArray();
  const a = dd.withGenerator(g, () => dd.rand([4]).toArray());
  const state = g.getState();
  const b = dd.withGenerator(g, () => dd.randn([3]).toArray());
  // The global stream did not move while g was drawn from.
  dd.manualSeed(1);
  expect(dd.rand([4]).toArray()).toEqual(globalFirst);
  // The same seed gives the same draws; a restored state repeats what followed it.
  expect(dd.withGenerator(new dd.Generator(7), () => dd.rand([4]).toArray())).toEqual(a);
  expect(dd.withGenerator(new dd.Generator().setState(state), () => dd.randn([3]).toArray())).toEqual(b);
  expect(g.seed).toBe(7);
  g.manualSeed(7);
  expect(dd.withGenerator(g, () => dd.rand([4]).toArray())).toEqual(a);
  expect(() => new dd.Generator(-1)).toThrow(/Generator: seed must be an integer in \[0, 2\^53\)/);
  expect(() => g.setState({ seed: 1, offset: -1 })).toThrow(RangeError);
  expect(() => dd.withGenerator({} as never, () => 0)).toThrow(/expected a dd.Generator/);
});

test('the scope follows async calls across awaits, and each of two interleaved calls keeps its own stream', async () => {
  const draw = async (g: dd.Generator) =>
    dd.withGenerator(g, async () => {
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        out.push(dd.rand([1]).data[0]);
        await new Promise((r) => setImmediate(r));
      }
      return out;
    });
  const alone = await draw(new dd.Generator(3));
  const [x, y] = await Promise.all([draw(new dd.Generator(3)), draw(new dd.Generator(4))]);
  expect(x).toEqual(alone);
  expect(y).not.toEqual(alone);
});

function mlp(seed: number) {
  dd.manualSeed(seed);
  return new nn.Sequential(new nn.Linear(6, 16), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(16, 2));
}

function data() {
  dd.manualSeed(100);
  return { x: dd.rand([200, 6]), y: dd.randint(0, 2, [200]) };
}

async function train(model: dd.nn.Module, d: { x: dd.Tensor; y: dd.Tensor }, generator: dd.Generator) {
  // Each batch hands the event loop on, so two of these running together alternate batch by batch.
  const interleave = { onBatchEnd: () => new Promise<void>((r) => setImmediate(r)) };
  await dd.fit(model, d, {
    epochs: 2, batchSize: 10, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy', verbose: 0, generator, callbacks: [interleave],
  });
  return model.stateDict()['3.weight'].toArray();
}

test('two fits interleaved on one event loop, each with its generator, give what each gives alone', async () => {
  const d = data();
  const aloneA = await train(mlp(1), d, new dd.Generator(10));
  const aloneB = await train(mlp(2), d, new dd.Generator(20));
  const [a, b] = await Promise.all([train(mlp(1), d, new dd.Generator(10)), train(mlp(2), d, new dd.Generator(20))]);
  expect(a).toEqual(aloneA);
  expect(b).toEqual(aloneB);
  await expect(dd.fit(mlp(1), d, { optimizer: new dd.optim.SGD(mlp(1).parameters(), { lr: 0.1 }), loss: 'crossEntropy', generator: 3 as never }))
    .rejects.toThrow(/generator must be a dd.Generator/);
  // Without generators the two share the global stream, and neither repeats its solo run.
  dd.manualSeed(0);
  const soloA = await train(mlp(1), d, undefined as never);
  dd.manualSeed(0);
  const [sharedA] = await Promise.all([train(mlp(1), d, undefined as never), train(mlp(2), d, undefined as never)]);
  expect(sharedA).not.toEqual(soloA);
});

test('a worker job with a generator trains as fit does with it, and the caller\'s generator moves on the same way', async () => {
  const d = data();
  dd.setNumThreads(1);
  try {
    const gHere = new dd.Generator(5), gThere = new dd.Generator(5);
    const here = await train(mlp(1), d, gHere);
    const model = mlp(1);
    await dd.fitInWorker(model, d, { epochs: 2, batchSize: 10, optimizer: { type: 'SGD', lr: 0.1 }, loss: 'crossEntropy', generator: gThere, threads: 1 });
    expect(model.stateDict()['3.weight'].toArray()).toEqual(here);
    expect(gThere.getState()).toEqual(gHere.getState());
  } finally {
    dd.setNumThreads(dd.backendInfo().hardwareThreads);
  }
});
