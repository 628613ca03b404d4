/** Linear(null, out) / LazyLinear: the input size learnt from the first forward. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as dd from '../../ts/index';

const { nn } = dd;

test('sized on the first forward, initialised exactly as a Linear of that size made at that moment', () => {
  dd.manualSeed(21);
  const eager = new nn.Linear(6, 4);
  dd.manualSeed(21);
  const lazy = new nn.Linear(null, 4);
  expect(lazy.hasUninitializedParams()).toBe(true);
  expect(lazy.toString()).toBe('Linear(null, 4)');
  const y = lazy.call(dd.ones([2, 6]));
  expect(y.shape).toEqual([2, 4]);
  expect(lazy.hasUninitializedParams()).toBe(false);
  expect(lazy.inFeatures).toBe(6);
  expect(lazy.weight.toArray()).toEqual(eager.weight.toArray());
  expect(lazy.bias!.toArray()).toEqual(eager.bias!.toArray());
  expect([...lazy.namedParameters()].map(([n, p]) => [n, p.shape])).toEqual([['weight', [4, 6]], ['bias', [4]]]);
  expect(lazy.toString()).toBe('Linear(6, 4)');
});

test('LazyLinear is the same thing, and options are kept for the real initialisation', () => {
  dd.manualSeed(3);
  const eager = new nn.Linear(5, 2, { bias: false, init: 'heNormal' });
  dd.manualSeed(3);
  const lazy = new nn.LazyLinear(2, { bias: false, init: 'heNormal' });
  expect(lazy).toBeInstanceOf(nn.Linear);
  lazy.call(dd.ones([1, 5]));
  expect(lazy.bias).toBeNull();
  expect(lazy.weight.toArray()).toEqual(eager.weight.toArray());
  // Bad options fail at construction, not at the first forward; checking them draws nothing from the global stream.
  dd.manualSeed(3);
  expect(() => new nn.Linear(null, 2, { init: 'heNormalish' as never })).toThrow(/unknown init "heNormalish"/);
  expect(() => new nn.Linear(null, 2, { bias: false, biasRegularizer: dd.regularize.l2(0.1) })).toThrow(/without a bias/);
  const after = new nn.Linear(5, 2, { bias: false, init: 'heNormal' });
  expect(after.weight.toArray()).toEqual(eager.weight.toArray());
});

test('before the first forward there are no parameters to hand out, with a message that says what to do', () => {
  const model = new nn.Sequential(new nn.Flatten(), new nn.LazyLinear(3));
  const message = /Linear\(null, 3\) learns inFeatures from its first input, so its parameters do not exist yet\. Run a forward pass \(model\.call\(x\)\) or model\.summary\(inputShape\) first — in particular before creating the optimizer/;
  expect(() => model.parameters()).toThrow(message);
  expect(() => new dd.optim.Adam(model.parameters(), { lr: 1e-3 })).toThrow(message);
  expect(() => model.stateDict()).toThrow(message);
  expect(() => (model[1] as dd.nn.Linear).inFeatures).toThrow(/so inFeatures does not exist yet/);
  expect(() => model.call(dd.zeros([2, 0]))).toThrow(/^1 \(Linear\): Linear\(null, 3\): the first input's last axis gives inFeatures and must be positive, got shape \[2,0\]$/);
  model.summary([2, 2]);
  expect(model.parameters().map((p) => p.shape)).toEqual([[3, 4], [3]]);
});

test('trained and saved after sizing, it is an ordinary Linear', async () => {
  dd.manualSeed(8);
  const model = new nn.Sequential(new nn.LazyLinear(4), new nn.ReLU(), new nn.LazyLinear(2));
  const x = dd.randn([6, 3]);
  model.call(x);
  const opt = new dd.optim.SGD(model.parameters(), { lr: 0.1 });
  const before = (model[0] as dd.nn.Linear).weight.toArray();
  model.call(x).square().mean().backward();
  opt.step();
  expect((model[0] as dd.nn.Linear).weight.toArray()).not.toEqual(before);

  const dir = mkdtempSync(join(tmpdir(), 'dendrite-lazy-'));
  try {
    await dd.saveModel(model, dir);
    const loaded = await dd.loadModel(dir);
    expect(loaded.toString()).toBe(model.toString());
    expect(loaded.toString()).toContain('(0): Linear(3, 4)');
    expect(loaded.call(x).toArray()).toEqual(model.call(x).toArray());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
