/** Forward hooks: order, removal, replacing inputs and outputs, and feature maps of every layer of a CNN. */
import * as dd from '../../ts/index';

const { nn } = dd;

test('pre-hooks, forward and hooks run in that order, each list in registration order', () => {
  const log: string[] = [];
  class Logged extends nn.Module {
    forward(x: dd.Tensor) {
      log.push('forward');
      return x.mul(2);
    }
  }
  const m = new Logged();
  m.registerForwardPreHook(() => void log.push('pre 1'));
  m.registerForwardPreHook(() => void log.push('pre 2'));
  m.registerForwardHook(() => void log.push('post 1'));
  m.registerForwardHook(() => void log.push('post 2'));
  m.call(dd.ones([1]));
  expect(log).toEqual(['pre 1', 'pre 2', 'forward', 'post 1', 'post 2']);
  log.length = 0;
  m.forward(dd.ones([1])); // forward itself runs no hooks, as in PyTorch
  expect(log).toEqual(['forward']);
});

test('a hook sees the module, its inputs and its output; remove() takes it off (twice is harmless)', () => {
  const lin = new nn.Linear(3, 2);
  const seen: Array<[unknown, number[], number[]]> = [];
  const handle = lin.registerForwardHook((m, inputs, output) => void seen.push([m, inputs[0].shape.slice(), output.shape.slice()]));
  lin.call(dd.ones([4, 3]));
  expect(seen).toEqual([[lin, [4, 3], [4, 2]]]);
  handle.remove();
  handle.remove();
  lin.call(dd.ones([4, 3]));
  expect(seen).toHaveLength(1);
  expect(lin._hasForwardHooks()).toBe(false);
});

test('a hook removing itself while hooks run leaves the current call intact', () => {
  const m = new nn.ReLU();
  const log: string[] = [];
  const first = m.registerForwardHook(() => {
    log.push('first');
    first.remove();
  });
  m.registerForwardHook(() => void log.push('second'));
  m.call(dd.ones([1]));
  m.call(dd.ones([1]));
  expect(log).toEqual(['first', 'second', 'second']);
});

test('a pre-hook can replace the inputs and a hook the output', () => {
  const m = new nn.ReLU();
  m.registerForwardPreHook((_m, [x]) => x.neg());
  m.registerForwardPreHook((_m, inputs) => [inputs[0].add(1)]);
  m.registerForwardHook((_m, _inputs, y) => y.mul(10));
  m.registerForwardHook(() => undefined); // nothing returned: the output stays
  expect(m.call(dd.tensor([-3, 2])).toArray()).toEqual([40, 0]);
  const bad = new nn.ReLU();
  bad.registerForwardPreHook(() => 3 as never);
  expect(() => bad.call(dd.ones([1]))).toThrow(new TypeError('ReLU.call: a forward pre-hook must return nothing, a Tensor or an array of Tensors, got number'));
  expect(() => bad.registerForwardHook(null as never)).toThrow(/ReLU\.registerForwardHook: the hook must be a function, got null/);
});

test('hooks on every layer of a Sequential CNN collect each feature map (ReLU before MaxPool2d included)', () => {
  dd.manualSeed(7);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(4, 2, 3),
    new nn.Tanh(),
    new nn.Flatten(),
    new nn.Linear(2, 3),
  );
  const maps = new Map<string, dd.Tensor>();
  const handles = [...model].map((layer, i) => layer.registerForwardHook((_m, _in, out) => void maps.set(String(i), out)));
  const x = dd.randn([2, 1, 6, 6]);
  const y = model.call(x);
  expect([...maps.keys()]).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  expect([...maps.values()].map((t) => t.shape)).toEqual([[2, 4, 6, 6], [2, 4, 6, 6], [2, 4, 3, 3], [2, 2, 1, 1], [2, 2, 1, 1], [2, 2], [2, 3]]);
  // Each map is what the layers compute one after another.
  let h = x;
  [...model].forEach((layer, i) => {
    h = layer.forward(h);
    expect(maps.get(String(i))!.toArray()).toEqual(h.toArray());
  });
  expect(y.toArray()).toEqual(h.toArray());
  for (const handle of handles) handle.remove();
  // Unhooked, the ReLU → MaxPool2d pair is computed pooled first again, with the same result.
  expect(model.call(x).toArray()).toEqual(y.toArray());
});

test('hooks fire for the children of Residual, ResidualDense and Highway', () => {
  const called: string[] = [];
  const watch = (m: dd.nn.Module, prefix: string) => {
    for (const [name, child] of m.namedModules()) if (name !== '') child.registerForwardHook(() => void called.push(`${prefix}${name}`));
  };
  const residual = new nn.Residual(new nn.Linear(3, 3));
  const dense = new nn.ResidualDense(3);
  const highway = new nn.Highway(3);
  watch(residual, 'r.');
  watch(dense, 'd.');
  watch(highway, 'h.');
  const x = dd.ones([1, 3]);
  residual.call(x);
  dense.call(x);
  highway.call(x);
  expect(called).toEqual(['r.block', 'd.fc1', 'd.fc2', 'h.transform', 'h.gate']);
});
