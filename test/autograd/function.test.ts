/** Custom autograd functions (dd.autograd.defineFunction / Function) and the public gradient check. */
import * as dd from '../../ts';

const values = (t: dd.Tensor | null) => Array.from(t!.data);

/** y = k·exp(x)·w with a hand-written backward; k is a plain number. */
const scaledExpMul = dd.autograd.defineFunction({
  name: 'scaledExpMul',
  forward(ctx, x: dd.Tensor, w: dd.Tensor, k: number) {
    const e = x.exp();
    ctx.saveForBackward(e, w);
    ctx.k = k;
    return e.mul(w).mul(k);
  },
  backward(ctx, g) {
    const [e, w] = ctx.savedTensors;
    const gx = ctx.needsInputGrad[0] ? g.mul(e!).mul(w!).mul(ctx.k) : null;
    const gw = ctx.needsInputGrad[1] ? g.mul(e!).mul(ctx.k) : null;
    return [gx, gw, null];
  },
});

class Cube extends dd.autograd.Function {
  static override forward(ctx: dd.autograd.FunctionContext, x: dd.Tensor) {
    ctx.saveForBackward(x);
    return x.mul(x).mul(x);
  }
  static override backward(ctx: dd.autograd.FunctionContext, g: dd.Tensor) {
    const [x] = ctx.savedTensors;
    return [g.mul(x!.square()).mul(3)];
  }
}

test('a custom function passes the public gradient check, in both forms', () => {
  dd.manualSeed(1);
  const x = dd.randn([3, 4], { requiresGrad: true });
  const w = dd.randn([3, 4], { requiresGrad: true });
  const report = dd.autograd.gradcheck((a: dd.Tensor, b: dd.Tensor, k: number) => scaledExpMul.apply(a, b, k), [x, w, 0.7]);
  expect(report.passed).toBe(true);
  expect(report.inputs.map((r) => r.input)).toEqual([0, 1]);
  expect(dd.autograd.gradcheck((a: dd.Tensor) => Cube.apply(a), [x]).passed).toBe(true);
  expect(x.grad).toBeNull();
});

test('it takes part in backward as built-in ops do: accumulation, retainGraph, noGrad', () => {
  const x = dd.tensor([0, 1], { requiresGrad: true });
  const w = dd.tensor([2, 3]);
  const y = scaledExpMul.apply(x, w, 2);
  expect(y.gradFn!.name).toBe('scaledExpMul');
  const loss = y.add(x.mul(5)).sum(); // x used by the custom node and by a built-in one
  loss.backward(null, { retainGraph: true });
  const once = [2 * 2 * Math.exp(0) + 5, 2 * 3 * Math.exp(1) + 5];
  values(x.grad).forEach((g, i) => expect(g).toBeCloseTo(once[i], 4));
  loss.backward(); // through the retained graph again: gradients add up
  values(x.grad).forEach((g, i) => expect(g).toBeCloseTo(2 * once[i], 4));
  expect(() => loss.backward()).toThrow(/second time/);
  expect(w.grad).toBeNull();

  const quiet = dd.noGrad(() => scaledExpMul.apply(x, w, 2));
  expect(quiet.requiresGrad).toBe(false);
  expect(quiet.gradFn).toBeNull();
});

test('forward runs with recording off and sees needsInputGrad; ctx holds fields of its own', () => {
  let recordingInside: boolean | null = null;
  let needs: readonly boolean[] = [];
  const probe = dd.autograd.defineFunction({
    name: 'probe',
    forward(ctx, a: dd.Tensor, b: dd.Tensor, label: string) {
      recordingInside = dd.isGradEnabled();
      needs = ctx.needsInputGrad;
      ctx.label = label;
      return a.add(b);
    },
    backward: (ctx, g) => (ctx.label === 'sum' ? [g, g, null] : [null, null, null]),
  });
  const a = dd.tensor([1, 2], { requiresGrad: true });
  const b = dd.tensor([3, 4]);
  probe.apply(a, b, 'sum').sum().backward();
  expect(recordingInside).toBe(false);
  expect(needs).toEqual([true, false, false]);
  expect(values(a.grad)).toEqual([1, 1]);
});

test('an input returned as it is stays a leaf; the output is a new node over the same values', () => {
  const identity = dd.autograd.defineFunction({
    name: 'identity',
    forward: (_ctx, x: dd.Tensor) => x,
    backward: (_ctx, g) => [g.mul(2)],
  });
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const y = identity.apply(x);
  expect(x.isLeaf).toBe(true);
  expect(y).not.toBe(x);
  expect(values(y)).toEqual([1, 2]);
  y.sum().backward();
  expect(values(x.grad)).toEqual([2, 2]);
});

test('a backward with the wrong number of gradients, or a wrong shape, is named', () => {
  const x = dd.tensor([1, 2], { requiresGrad: true });
  const tooFew = dd.autograd.defineFunction({
    name: 'tooFew',
    forward: (_ctx, a: dd.Tensor, _k: number) => a.mul(2),
    backward: (_ctx, g) => [g],
  });
  expect(() => tooFew.apply(x, 3).sum().backward()).toThrow(
    new RangeError(
      "autograd.Function 'tooFew': backward returned 1 gradient but forward took 2 arguments; return one per argument, null where none is needed (non-tensor arguments included)",
    ),
  );
  const wrongShape = dd.autograd.defineFunction({
    name: 'wrongShape',
    forward: (_ctx, a: dd.Tensor, b: dd.Tensor) => a.add(b),
    backward: (_ctx, g) => [g, g.sum()],
  });
  const b = dd.tensor([3, 4], { requiresGrad: true });
  expect(() => wrongShape.apply(x, b).sum().backward()).toThrow(/'wrongShape': backward gave a gradient of shape \[\] for input 1 of shape \[2\]/);
  const forNumber = dd.autograd.defineFunction({
    name: 'forNumber',
    forward: (_ctx, a: dd.Tensor, _k: number) => a.mul(2),
    backward: (_ctx, g) => [g, g],
  });
  expect(() => forNumber.apply(x, 3).sum().backward()).toThrow(/'forNumber': backward returned a gradient for input 1, which is not a tensor \(number\)/);
  const notTensor = dd.autograd.defineFunction({ name: 'notTensor', forward: () => 3 as never, backward: () => [] });
  expect(() => notTensor.apply()).toThrow(/'notTensor': forward must return a Tensor, got number/);
  expect(() => dd.autograd.defineFunction({ name: '', forward: () => x, backward: () => [] })).toThrow(/name must be a non-empty string/);
});

test('saved tensors are gone once the graph is freed', () => {
  let saved: dd.autograd.FunctionContext | null = null;
  const keep = dd.autograd.defineFunction({
    name: 'keep',
    forward(ctx, a: dd.Tensor) {
      ctx.saveForBackward(a);
      saved = ctx;
      return a.mul(1);
    },
    backward: (_ctx, g) => [g],
  });
  keep.apply(dd.tensor([1], { requiresGrad: true })).sum().backward();
  expect(() => saved!.savedTensors).toThrow(/'keep': the saved tensors were freed.*retainGraph: true/);
  expect(() => saved!.saveForBackward(3 as never)).toThrow();
});

test('the gradient check catches a wrong backward and names the input and the worst element', () => {
  // a·b with b's gradient 5 % off in one element.
  const offByOne = dd.autograd.defineFunction({
    name: 'offInOneElement',
    forward(ctx, a: dd.Tensor, b: dd.Tensor) {
      ctx.saveForBackward(a, b);
      return a.mul(b);
    },
    backward(ctx, g) {
      const [a, b] = ctx.savedTensors;
      const gb = g.mul(a!);
      gb.data[5] *= 1.05;
      return [g.mul(b!), gb];
    },
  });
  dd.manualSeed(2);
  const a = dd.randn([2, 3], { requiresGrad: true });
  const b = dd.randn([2, 3], { requiresGrad: true });
  const report = dd.autograd.gradcheck((p: dd.Tensor, q: dd.Tensor) => offByOne.apply(p, q), [a, b], { raiseException: false });
  expect(report.passed).toBe(false);
  expect(report.inputs[0].ratio).toBeLessThan(0.1);
  expect(report.inputs[1].worstPosition).toEqual([1, 2]);
  expect(report.message).toMatch(/^gradcheck: the gradient of input 1 \(shape \[2,3\]\) is off at element \[1, 2\]: backward gives -?[\d.e-]+, finite differences -?[\d.e-]+/);
  expect(() => dd.autograd.gradcheck((p: dd.Tensor, q: dd.Tensor) => offByOne.apply(p, q), [a, b])).toThrow(report.message);
  expect(() => dd.autograd.gradcheck((p: dd.Tensor) => p.exp(), [dd.ones([2])])).toThrow(/no input requires grad/);
  expect(() => dd.autograd.gradcheck((p: dd.Tensor) => p.exp(), [a], { eps: 0 })).toThrow(/eps must be a positive finite number/);
});
