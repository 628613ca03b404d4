import * as dd from '../../ts/index';

const { nn } = dd;
const init = nn.init;

function stats(a: Float32Array) {
  let s = 0;
  let s2 = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) {
    s += v;
    s2 += v * v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), lo, hi };
}

test('fans and gains follow PyTorch', () => {
  expect(init.computeFans([64, 32, 3, 3])).toEqual({ fanIn: 288, fanOut: 576 });
  expect(init.computeFans([10, 784])).toEqual({ fanIn: 784, fanOut: 10 });
  expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
  expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
  expect(init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
  expect(() => init.computeFans([5])).toThrow(/at least 2 dimensions/);
});

test.each([
  ['xavierUniform_', (t: dd.Tensor) => init.xavierUniform_(t), Math.sqrt(2 / (400 + 300)), Math.sqrt(6 / 700)],
  ['xavierNormal_', (t: dd.Tensor) => init.xavierNormal_(t), Math.sqrt(2 / 700), Infinity],
  ['kaimingUniform_ (relu)', (t: dd.Tensor) => init.kaimingUniform_(t, { nonlinearity: 'relu' }), Math.sqrt(2 / 300), Math.sqrt(6 / 300)],
  ['kaimingNormal_ fanOut', (t: dd.Tensor) => init.kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'relu' }), Math.sqrt(2 / 400), Infinity],
] as const)('%s has the documented spread', (_name, fn, std, bound) => {
  dd.manualSeed(42);
  const t = dd.zeros([400, 300]);
  fn(t);
  const s = stats(t.data);
  expect(Math.abs(s.mean)).toBeLessThan(0.02 * std * 10);
  expect(s.std).toBeGreaterThan(std * 0.98);
  expect(s.std).toBeLessThan(std * 1.02);
  if (bound !== Infinity) {
    expect(s.lo).toBeGreaterThanOrEqual(-bound);
    expect(s.hi).toBeLessThan(bound);
  }
});

test("layers default to PyTorch's init and are reproducible under manualSeed", () => {
  dd.manualSeed(7);
  const a = new nn.Linear(256, 64);
  dd.manualSeed(7);
  const b = new nn.Linear(256, 64);
  expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
  const w = stats(a.weight.data);
  const bound = 1 / Math.sqrt(256); // kaiming_uniform(a=√5) gives U(±1/√fanIn)
  expect(w.lo).toBeGreaterThanOrEqual(-bound);
  expect(w.hi).toBeLessThan(bound);
  expect(w.std).toBeGreaterThan((bound / Math.sqrt(3)) * 0.95);
  const bias = stats(a.bias!.data);
  expect(bias.lo).toBeGreaterThanOrEqual(-bound);
  expect(bias.hi).toBeLessThan(bound);
  const conv = new nn.Conv2d(32, 64, 3);
  const cb = 1 / Math.sqrt(32 * 9);
  expect(stats(conv.weight.data).hi).toBeLessThan(cb);
});

test('init is selectable per layer, and a named scheme starts the bias at zero', () => {
  dd.manualSeed(1);
  const lin = new nn.Linear(500, 400, { init: 'heNormal' });
  expect(stats(lin.weight.data).std).toBeCloseTo(Math.sqrt(2 / 500), 3);
  expect(Array.from(lin.bias!.data).every((v) => v === 0)).toBe(true);
  const glorot = new nn.Conv2d(8, 16, 3, { init: 'glorotUniform', biasInit: 'default' });
  const bound = Math.sqrt(6 / (8 * 9 + 16 * 9));
  expect(stats(glorot.weight.data).hi).toBeLessThan(bound);
  expect(Array.from(glorot.bias!.data).some((v) => v !== 0)).toBe(true);
  const custom = new nn.Linear(2, 2, { init: (w) => w.data.fill(3) });
  expect(Array.from(custom.weight.data)).toEqual([3, 3, 3, 3]);
  expect(() => new nn.Linear(2, 2, { init: 'nope' as never })).toThrow(/unknown init "nope"/);
});
