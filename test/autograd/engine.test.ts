/** The autograd engine: accumulation, graph lifetime, grad modes, errors, memory reuse. */
import * as dd from '../../ts';

const values = (t: dd.Tensor | null) => Array.from(t!.data);

test('a tensor used twice gets the sum of both paths', () => {
  const x = dd.tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(x).add(x.mul(3)); // x² + 3x
  y.sum().backward();
  expect(values(x.grad)).toEqual([5, 7, 9]);
});

test('a diamond graph accumulates into the shared intermediate once complete', () => {
  const x = dd.tensor([0.5, -1], { requiresGrad: true });
  const h = x.exp();
  const y = h.add(h.square()); // h + h²
  y.sum().backward();
  const e = [Math.exp(0.5), Math.exp(-1)];
  values(x.grad).forEach((g, i) => expect(g).toBeCloseTo(e[i] + 2 * e[i] * e[i], 5));
});

test('leaf gradients accumulate across backward calls until reset', () => {
  const w = dd.tensor([1, 2], { requiresGrad: true });
  w.mul(3).sum().backward();
  w.mul(3).sum().backward();
  expect(values(w.grad)).toEqual([6, 6]);
  w.grad = null;
  w.mul(2).sum().backward();
  expect(values(w.grad)).toEqual([2, 2]);
});

test('backward twice through one graph needs retainGraph', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const y = x.exp().sum();
  y.backward(null, { retainGraph: true });
  y.backward();
  expect(values(x.grad)).toEqual([2 * Math.exp(1), 2 * Math.exp(2)].map(Math.fround));
  expect(() => y.backward()).toThrow(/second time \(at 'sum'\).*retainGraph: true/);
});

test('backward on a non-scalar needs a gradient of its shape', () => {
  const x = dd.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const y = x.mul(2);
  expect(() => y.backward()).toThrow(/a gradient is needed for a tensor with 4 elements \(shape \[2,2\]\)/);
  expect(() => y.backward(dd.ones([4]))).toThrow(/gradient shape \[4\] does not match the tensor's shape \[2,2\]/);
  y.backward(dd.tensor([[1, 0], [0, 1]]));
  expect(x.grad!.toArray()).toEqual([[2, 0], [0, 2]]);
});

test('backward on something that does not require grad is a clear error', () => {
  expect(() => dd.ones([1]).sum().backward()).toThrow(/does not require grad/);
});

test('noGrad builds no graph; enableGrad inside turns it back on', () => {
  const x = dd.ones([2], { requiresGrad: true });
  const y = dd.noGrad(() => x.mul(2));
  expect(y.requiresGrad).toBe(false);
  expect(y.gradFn).toBeNull();
  const z = dd.noGrad(() => dd.enableGrad(() => x.mul(2)));
  expect(z.requiresGrad).toBe(true);
  expect(dd.isGradEnabled()).toBe(true);
});

test('noGrad covers async functions across awaits, without leaking to other code', async () => {
  const x = dd.ones([2], { requiresGrad: true });
  let concurrent: dd.Tensor | null = null;
  const inside = dd.noGrad(async () => {
    await new Promise((r) => setTimeout(r, 5));
    return x.mul(2);
  });
  await new Promise((r) => setTimeout(r, 1));
  concurrent = x.mul(2);
  const y = await inside;
  expect(y.requiresGrad).toBe(false);
  expect(concurrent.requiresGrad).toBe(true);
});

test('setGradEnabled changes the default', () => {
  dd.setGradEnabled(false);
  try {
    expect(dd.ones([1], { requiresGrad: true }).mul(2).requiresGrad).toBe(false);
  } finally {
    dd.setGradEnabled(true);
  }
});

test('detach cuts the graph and shares memory', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const h = x.mul(2);
  const d = h.detach();
  expect(d.requiresGrad).toBe(false);
  expect(d.isLeaf).toBe(true);
  h.add(d).sum().backward();
  expect(values(x.grad)).toEqual([2, 2]);
  expect(d.data).toBe(h.detach().data);
});

test('requiresGrad is settable on leaves only, and on float32 only', () => {
  const x = dd.ones([2]);
  x.requiresGrad = true;
  const y = x.mul(2);
  expect(() => (y.requiresGrad = false)).toThrow(/only be changed on leaf tensors; this one was made by 'mul'/);
  expect(() => (dd.zeros([2], { dtype: 'int32' }).requiresGrad = true)).toThrow(TypeError);
  expect(() => dd.tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(TypeError);
});

test('retainGrad keeps an intermediate gradient', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const h = x.mul(3).retainGrad();
  h.square().sum().backward();
  expect(values(h.grad)).toEqual([6, 12]);
  expect(values(x.grad)).toEqual([18, 36]);
});

test('gradFn names the op; leaves have none', () => {
  const x = dd.ones([2, 2], { requiresGrad: true });
  expect(x.gradFn).toBeNull();
  expect(x.matmul(x).gradFn!.name).toBe('matmul');
  expect(x.relu().toString()).toMatch(/gradFn=<relu>/);
});

test('a deep chain does not overflow the stack', () => {
  const x = dd.tensor([1], { requiresGrad: true });
  let y = x;
  for (let i = 0; i < 20000; i++) y = y.mul(1);
  y.sum().backward();
  expect(values(x.grad)).toEqual([1]);
});

test('only inputs that require grad get gradients', () => {
  const a = dd.randn([3, 3], { requiresGrad: true });
  const b = dd.randn([3, 3]);
  a.matmul(b).sum().backward();
  expect(a.grad).not.toBeNull();
  expect(b.grad).toBeNull();
});

test('grad setter checks shape and type', () => {
  const x = dd.ones([2, 2], { requiresGrad: true });
  expect(() => (x.grad = dd.ones([4]))).toThrow(/grad: shape \[4\] does not match/);
  x.grad = dd.zeros([2, 2]);
  x.sum().backward();
  expect(x.grad!.toArray()).toEqual([[1, 1], [1, 1]]);
});

describe('memory reuse', () => {
  test('gradient buffers return to the pool and are reused by the next step', () => {
    const w = dd.randn([64, 64], { requiresGrad: true });
    const x = dd.randn([32, 64]);
    const step = () => {
      w.grad = null;
      x.matmul(w).relu().matmul(w).tanh().sum().backward();
    };
    step();
    step();
    const before = dd.memoryStats();
    for (let i = 0; i < 5; i++) step();
    const after = dd.memoryStats();
    expect(after.hits - before.hits).toBeGreaterThan(5 * 4);
  });

  test('freeActivations recycles intermediates; reading one afterwards throws, the loss stays readable', () => {
    const w = dd.randn([16, 16], { requiresGrad: true });
    const x = dd.randn([8, 16]);
    const h = x.matmul(w).relu();
    const loss = h.square().mean();
    const kept = x.matmul(w).detach(); // unrelated tensors are untouched
    loss.backward(null, { freeActivations: true });
    expect(Number.isFinite(loss.item())).toBe(true);
    expect(() => h.data).toThrow(/freeActivations/);
    expect(() => h.add(1)).toThrow(/freeActivations/);
    expect(kept.data.length).toBe(128);
    expect(w.data.length).toBe(256);
    expect(() => loss.backward(null, { retainGraph: true, freeActivations: true })).toThrow(TypeError);
  });

  test('freeActivations leaves pinned tensors (read through .data or detached) alone', () => {
    const w = dd.randn([4, 4], { requiresGrad: true });
    const h = w.mul(2);
    const seen = h.data;
    h.sum().mul(1).backward(null, { freeActivations: true });
    expect(Array.from(h.data)).toEqual(Array.from(seen));
  });
});
