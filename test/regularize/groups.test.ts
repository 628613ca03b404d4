import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn, regularize } = dd;

function net() {
  return new nn.Sequential(new nn.Linear(5, 4), new nn.ReLU(), new nn.Linear(4, 3));
}

test('decayGroups: weights get the regularizer, biases and embedding tables do not', () => {
  dd.manualSeed(1);
  class WithTable extends nn.Sequential {
    table = new nn.Embedding(6, 5);
  }
  const model = new WithTable(new nn.Linear(5, 4), new nn.ReLU(), new nn.Linear(4, 3));
  const groups = regularize.decayGroups(model, { regularizers: [regularize.l2(0.05)] });
  expect(groups).toHaveLength(2);
  const [decayed, plain] = groups;
  const names = new Map([...model.namedParameters()].map(([n, p]) => [p, n]));
  expect(decayed.params.map((p) => names.get(p))).toEqual(['0.weight', '2.weight']);
  expect(plain.params.map((p) => names.get(p)).sort()).toEqual(['0.bias', '2.bias', 'table.weight']);

  const before = model.parameters().map((p) => Float32Array.from(p.data));
  const lr = 0.1;
  const opt = new dd.optim.SGD(groups, { lr });
  for (const p of model.parameters()) p.grad = dd.zerosLike(p); // no data gradient: only the penalty moves anything
  opt.step();
  model.parameters().forEach((p, i) => {
    const name = names.get(p)!;
    if (name.endsWith('weight') && !name.startsWith('table')) {
      before[i].forEach((v, j) => expect(p.data[j]).toBeCloseTo(v * (1 - lr * 2 * 0.05), 6));
    } else {
      expect(Array.from(p.data)).toEqual(Array.from(before[i])); // bit for bit
    }
  });
  // The penalty the optimizer reports covers the decayed group only.
  const expected = 0.05 * decayed.params.reduce((s, p) => s + Array.from(p.data).reduce((a, v) => a + v * v, 0), 0);
  expect(opt.regularizationPenalty()).toBeCloseTo(expected, 5);
});

test('decayGroups gives the other group weightDecay 0 (for AdamW) and takes a custom rule', () => {
  const model = net();
  const [a, b] = regularize.decayGroups(model, { weightDecay: 0.1 });
  expect(a.weightDecay).toBe(0.1);
  expect(b.weightDecay).toBe(0);
  const opt = new dd.optim.AdamW(regularize.decayGroups(model, { weightDecay: 0.1 }), { lr: 1e-3 });
  expect(opt.paramGroups.map((g) => g.weightDecay)).toEqual([0.1, 0]);
  const onlyFirst = regularize.decayGroups(model, { lr: 1 }, { decay: (name) => name === '0.weight' });
  expect(onlyFirst[0].params).toEqual([model.parameters()[0]]);
  expect(() => regularize.decayGroups(model, { params: [] } as never)).toThrow(/without params/);
});

test("fit's logged loss includes layer penalties and parameter-group penalties; val_loss does not", async () => {
  dd.manualSeed(2);
  const model = new nn.Sequential(new nn.Linear(5, 4, { kernelRegularizer: regularize.l2(0.03) }), new nn.Tanh(), new nn.Linear(4, 3));
  const rng = new TestRandom(4);
  const data = { x: dd.tensor(rng.float32(40 * 5), [40, 5]), y: dd.tensor(Int32Array.from({ length: 40 }, (_, i) => i % 3), [40], { dtype: 'int32' }) };
  const last = model.parameters()[2];
  const opt = new dd.optim.SGD([{ params: model.parameters().filter((p) => p !== last) }, { params: [last], regularizers: [regularize.l1(0.02)] }], { lr: 0 });
  const history = await dd.fit(model, data, { epochs: 1, batchSize: 40, optimizer: opt, loss: 'crossEntropy', validationData: data, verbose: 0 });
  const w0 = model.parameters()[0].data, w2 = last.data;
  const penalty = 0.03 * Array.from(w0).reduce((s, v) => s + v * v, 0) + 0.02 * Array.from(w2).reduce((s, v) => s + Math.abs(v), 0);
  const dataLoss = history.history.val_loss[0];
  expect(penalty).toBeGreaterThan(0.01);
  expect(history.history.loss[0]).toBeCloseTo(dataLoss + penalty, 5);
});
