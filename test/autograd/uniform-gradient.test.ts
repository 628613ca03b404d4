/**
 * Gradients carried as one number: a sum's (or a mean's) gradient reaches the
 * ops before it as the number, not as a filled buffer. Every result must equal,
 * bit for bit, what the same graph gives with an explicit gradient of ones
 * (which is never carried as a number).
 */
import * as dd from '../../ts';
import { Tensor } from '../../ts/tensor/tensor';
import { UniformStorage } from '../../ts/tensor/uniform';

const bits = (t: dd.Tensor | null) => Array.from(new Uint32Array(Float32Array.from(t!.data).buffer));

/** x's gradient through f, reduced by sum(), and through f with an explicit gradient of ones. */
function bothWays(make: () => dd.Tensor, f: (x: dd.Tensor) => dd.Tensor, seed = 5): [dd.Tensor, dd.Tensor] {
  const viaSum = make(), viaOnes = make();
  dd.manualSeed(seed);
  f(viaSum).sum().backward();
  dd.manualSeed(seed);
  const y = f(viaOnes);
  y.backward(dd.onesLike(y));
  return [viaSum.grad!, viaOnes.grad!];
}

const input = (n: number) => () => dd.tensor(Array.from({ length: n }, (_, i) => Math.sin(i) * 3), { requiresGrad: true });

test('a sum hands the ops before it one number, which dropout uses without writing the elements out', () => {
  let seen: number | null | undefined;
  const x = input(1001)();
  const h = x.mul(2);
  // dropout's node records the gradient it is given.
  const y = dd.dropout(h, 0.4, true);
  const node = y._node!;
  const original = node.apply.bind(node);
  node.apply = (g: Tensor, needs?: readonly boolean[]) => {
    seen = g._uniformValue();
    expect(g._storage).toBeInstanceOf(UniformStorage);
    return original(g, needs);
  };
  y.sum().backward();
  expect(seen).toBe(1);
  expect(x.grad!.shape).toEqual([1001]);
});

test.each([
  ['dropout', (x: dd.Tensor) => dd.dropout(x, 0.3, true)],
  ['dropout after a scale', (x: dd.Tensor) => dd.dropout(x.mul(-1.7), 0.5, true)],
  ['a scale after dropout', (x: dd.Tensor) => dd.dropout(x, 0.5, true).mul(0.1)],
  ['reshape', (x: dd.Tensor) => x.reshape([7, 143]).mul(3)],
  ['an op that reads the gradient (relu)', (x: dd.Tensor) => x.relu()],
  ['addScalar (identity gradient)', (x: dd.Tensor) => x.add(2).mul(x)],
])('%s: the same gradient as with explicit ones', (_name, f) => {
  const [viaSum, viaOnes] = bothWays(input(1001), f);
  expect(bits(viaSum)).toEqual(bits(viaOnes));
});

test('dropout on every backend and past the streaming size gives the same gradient as with explicit ones', () => {
  const n = (1 << 22) + 13;
  const make = () => dd.ones([n], { requiresGrad: true });
  const [viaSum, viaOnes] = bothWays(make, (x) => dd.dropout(x, 0.5, true), 9);
  expect(Buffer.compare(Buffer.from(viaSum.data.buffer), Buffer.from(viaOnes.data.buffer))).toBe(0);
  const kept = viaSum.data.reduce((c, v) => c + (v === 2 ? 1 : 0), 0);
  expect(Math.abs(kept / n - 0.5)).toBeLessThan(0.01);
});

test('mean carries 1/n, as a number, to the ops before it', () => {
  const x = input(300)();
  dd.dropout(x, 0.25, true).mean().backward();
  const values = Array.from(x.grad!.data);
  const kept = Math.fround(Math.fround(1 / 300) * Math.fround(1 / 0.75));
  for (const v of values) expect(v === 0 || v === kept).toBe(true);
  expect(values.some((v) => v === 0) && values.some((v) => v === kept)).toBe(true);
});

/** A sum whose gradient is never carried as a number (a dot product with ones): the reference. */
const dotSum = (t: dd.Tensor) => dd.matmul(t.reshape([-1]), dd.ones([t.numel]));

test('two numbers reaching one node add up; a number and elements add up', () => {
  const x = input(50)();
  const h = x.mul(3);
  h.sum().add(h.sum().mul(2)).backward();
  expect(Array.from(x.grad!.data)).toEqual(new Array(50).fill(9));

  // dh = 1 + 2h, the number arriving before and after the elements.
  for (const numberFirst of [true, false]) {
    const [viaSum, viaDot] = [dd.sum, dotSum].map((reduce) => {
      const xi = input(50)();
      const hi = xi.mul(3);
      const parts = [reduce(hi), hi.mul(hi).sum()];
      (numberFirst ? parts[0].add(parts[1]) : parts[1].add(parts[0])).backward();
      return xi.grad!;
    });
    expect(bits(viaSum)).toEqual(bits(viaDot));
  }
});

test('a leaf summed directly, twice, accumulates ones', () => {
  const x = input(10)();
  x.sum().add(x.sum()).backward();
  expect(Array.from(x.grad!.data)).toEqual(new Array(10).fill(2));
  x.sum().backward();
  expect(Array.from(x.grad!.data)).toEqual(new Array(10).fill(3));
});

test('retainGrad and dd.grad see the elements of a gradient carried as a number', () => {
  const x = input(20)();
  const h = x.mul(2);
  h.retainGrad();
  h.sum().backward({ retainGraph: true });
  expect(Array.from(h.grad!.data)).toEqual(new Array(20).fill(1));
  h.mul(4).sum().backward();
  expect(Array.from(h.grad!.data)).toEqual(new Array(20).fill(5));
  expect(Array.from(x.grad!.data)).toEqual(new Array(20).fill(10));

  const x2 = input(20)();
  const h2 = dd.dropout(x2.mul(2), 0.5, true);
  const [gh] = dd.autograd.grad(h2.sum(), [h2]);
  expect(Array.from(gh.data)).toEqual(new Array(20).fill(1));
});

test('finite differences agree through sum and mean after dropout and scaling', () => {
  dd.manualSeed(1);
  const x = dd.randn([37], { requiresGrad: true });
  // The same masks on every call: the seed is set inside.
  const f = (t: dd.Tensor) => {
    dd.manualSeed(3);
    return dd.dropout(t.mul(0.5), 0.3, true).sum().add(dd.dropout(t, 0.6, true).mean());
  };
  expect(() => dd.autograd.gradcheck(f, [x])).not.toThrow();
});
