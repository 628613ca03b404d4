/** dd.autograd.grad: gradients returned, not accumulated; backward() through the same traversal. */
import * as dd from '../../ts';

const values = (t: dd.Tensor | null) => Array.from(t!.data);

function smallNet() {
  dd.manualSeed(11);
  const w1 = dd.randn([3, 4], { requiresGrad: true });
  const b1 = dd.randn([4], { requiresGrad: true });
  const w2 = dd.randn([4, 2], { requiresGrad: true });
  const x = dd.randn([5, 3], { requiresGrad: true });
  const loss = () => dd.matmul(dd.matmul(x, w1).add(b1).tanh(), w2).square().mean();
  return { params: [w1, b1, w2, x], loss };
}

test('grad() equals what backward() accumulates, and leaves every .grad untouched', () => {
  const { params, loss } = smallNet();
  const gs = dd.autograd.grad(loss(), params);
  expect(params.every((p) => p.grad === null)).toBe(true);
  loss().backward();
  gs.forEach((g, i) => {
    expect(g.shape).toEqual(params[i].shape);
    expect(values(g)).toEqual(values(params[i].grad));
  });
});

test('grad() leaves existing .grad values as they were', () => {
  const { params, loss } = smallNet();
  loss().backward();
  const before = params.map((p) => values(p.grad));
  dd.autograd.grad(loss(), params);
  expect(params.map((p) => values(p.grad))).toEqual(before);
});

test('gradients with respect to an intermediate tensor, and gradOutputs for a non-scalar output', () => {
  const x = dd.tensor([0.5, -1, 2], { requiresGrad: true });
  const h = x.exp();
  const y = h.square(); // dy/dh = 2h, dy/dx = 2h·h
  const v = dd.tensor([1, 2, 3]);
  const [gh, gx] = dd.autograd.grad(y, [h, x], { gradOutputs: [v] });
  const e = [0.5, -1, 2].map(Math.exp);
  values(gh).forEach((g, i) => expect(g).toBeCloseTo(2 * e[i] * (i + 1), 5));
  values(gx).forEach((g, i) => expect(g).toBeCloseTo(2 * e[i] * e[i] * (i + 1), 4));
  expect(h.grad).toBeNull();
  expect(() => dd.autograd.grad(x.exp().square(), x)).toThrow(/grad: a gradient is needed for a tensor with 3 elements/);
});

test('several outputs: their gradients add up; an output can be an input', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const a = x.mul(3).sum();
  const b = x.square().sum();
  const [g] = dd.autograd.grad([a, b], x);
  expect(values(g)).toEqual([3 + 2, 3 + 4]);
  const [self] = dd.autograd.grad(x, x, { gradOutputs: [dd.tensor([5, 6])] });
  expect(values(self)).toEqual([5, 6]);
});

test('an input listed twice gets a tensor of its own each time', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const [g1, g2] = dd.autograd.grad(x.square().sum(), [x, x]);
  expect(values(g1)).toEqual([2, 4]);
  expect(values(g2)).toEqual([2, 4]);
  expect(g1.data).not.toBe(g2.data);
});

test('only the rules on a path to the inputs run (a saliency map skips the weight gradients)', () => {
  let weightBackwards = 0;
  const scale = dd.autograd.defineFunction({
    name: 'countedScale',
    forward: (_ctx, w: dd.Tensor) => w.mul(2),
    backward: (_ctx, g: dd.Tensor) => {
      weightBackwards++;
      return [g.mul(2)];
    },
  });
  const w = dd.tensor([1, 2, 3], { requiresGrad: true });
  const x = dd.tensor([4, 5, 6], { requiresGrad: true });
  const y = x.mul(scale.apply(w)).sum();
  const [gx] = dd.autograd.grad(y, x, { retainGraph: true });
  expect(values(gx)).toEqual([2, 4, 6]);
  expect(weightBackwards).toBe(0);
  // The skipped part of the graph is intact: backward still goes through it.
  y.backward();
  expect(weightBackwards).toBe(1);
  expect(values(w.grad)).toEqual([8, 10, 12]);
});

test('saliency through a model: grad of a class score with respect to the input', () => {
  dd.manualSeed(4);
  const model = new dd.nn.Sequential(new dd.nn.Flatten(), new dd.nn.Linear(6, 4), new dd.nn.Tanh(), new dd.nn.Linear(4, 3));
  const x = dd.randn([2, 1, 2, 3], { requiresGrad: true });
  const score = model.call(x).narrow(1, 2, 1).sum();
  const [saliency] = dd.autograd.grad(score, x);
  expect(saliency.shape).toEqual([2, 1, 2, 3]);
  expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  model.call(x).narrow(1, 2, 1).sum().backward();
  expect(values(saliency)).toEqual(values(x.grad));
});

test('the graph is freed unless retainGraph', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const y = x.exp().sum();
  dd.autograd.grad(y, x, { retainGraph: true });
  dd.autograd.grad(y, x);
  expect(() => dd.autograd.grad(y, x)).toThrow(/second time \(at 'sum'\)/);
});

test('an input the outputs do not depend on: a clear error before anything runs, or null with allowUnused', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const unused = dd.tensor([3], { requiresGrad: true });
  const y = x.square().sum();
  expect(() => dd.autograd.grad(y, [x, unused])).toThrow(/input 1 is not used to compute the outputs.*allowUnused: true/);
  const [gx, gu] = dd.autograd.grad(y, [x, unused], { allowUnused: true }); // the graph was left whole by the error
  expect(values(gx)).toEqual([2, 4]);
  expect(gu).toBeNull();
});

test('bad arguments are clear errors', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const plain = dd.tensor([1, 2]);
  expect(() => dd.autograd.grad(x.sum(), plain)).toThrow(/input 0 does not require grad/);
  expect(() => dd.autograd.grad(plain.sum(), x)).toThrow(/the output does not require grad/);
  expect(() => dd.autograd.grad([x.sum(), plain.sum()], x)).toThrow(/output 1 does not require grad/);
  expect(() => dd.autograd.grad(x.sum(), [])).toThrow(/non-empty array/);
  expect(() => dd.autograd.grad(x.sum(), x, { createGraph: true })).toThrow(/createGraph \(double backward\) is not supported/);
  expect(() => dd.autograd.grad(x.sum(), x, { retainGraf: true } as never)).toThrow(/unknown option "retainGraf".*retainGraph/);
  expect(() => dd.autograd.grad([x.sum(), x.sum()], x, { gradOutputs: [null] })).toThrow(/1 gradients for 2 tensors/);
});

test('backward() takes several roots at once, as separate backward calls would', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const h = x.exp();
  dd.autograd.backward([h.sum(), h.mul(x)], [null, dd.tensor([1, -1])]);
  const together = values(x.grad);
  x.grad = null;
  const h2 = x.exp();
  h2.sum().backward({ retainGraph: true });
  h2.mul(x).backward(dd.tensor([1, -1]));
  expect(together.map((v) => Math.fround(v))).toEqual(values(x.grad));
  expect(dd.autograd.noGrad).toBe(dd.noGrad);
});
