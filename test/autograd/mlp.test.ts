/**
 * A tiny MLP: autograd's gradients against backpropagation derived by hand
 * in double precision, and a two-layer network trained in ten lines as one
 * would in PyTorch.
 */
import * as dd from '../../ts';
import { TestRandom } from '../support/random';

type Mat = number[][];
const matmul = (a: Mat, b: Mat): Mat => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const transpose = (a: Mat): Mat => a[0].map((_, j) => a.map((row) => row[j]));
const colSums = (a: Mat): number[] => a[0].map((_, j) => a.reduce((s, row) => s + row[j], 0));
const randMat = (rng: TestRandom, r: number, c: number): Mat =>
  Array.from({ length: r }, () => Array.from({ length: c }, () => Math.fround(rng.uniform(-1, 1))));

function expectClose(actual: dd.Tensor | null, expected: Mat | number[], tol = 1e-5): void {
  const flat = (expected as Array<number | number[]>).flat() as number[];
  expect(actual).not.toBeNull();
  expect(actual!.numel).toBe(flat.length);
  actual!.data.forEach((v, i) => expect(Math.abs(v - flat[i])).toBeLessThan(tol * Math.max(1, Math.abs(flat[i]))));
}

test('x·W1 + b1 → relu → ·W2 + b2 → MSE: gradients match hand-derived backprop', () => {
  const rng = new TestRandom(42);
  const [n, d, h, o] = [4, 3, 5, 2];
  const X = randMat(rng, n, d), T = randMat(rng, n, o);
  const W1 = randMat(rng, d, h), W2 = randMat(rng, h, o);
  const B1 = randMat(rng, 1, h)[0], B2 = randMat(rng, 1, o)[0];

  // Forward and backward by hand.
  const H1 = matmul(X, W1).map((row) => row.map((v, j) => v + B1[j]));
  const A1 = H1.map((row) => row.map((v) => Math.max(0, v)));
  const OUT = matmul(A1, W2).map((row) => row.map((v, j) => v + B2[j]));
  const loss = OUT.flat().reduce((s, v, i) => s + (v - T.flat()[i]) ** 2, 0) / (n * o);
  const dOut = OUT.map((row, i) => row.map((v, j) => (2 * (v - T[i][j])) / (n * o)));
  const dW2 = matmul(transpose(A1), dOut);
  const dB2 = colSums(dOut);
  const dA1 = matmul(dOut, transpose(W2));
  const dH1 = dA1.map((row, i) => row.map((v, j) => (H1[i][j] > 0 ? v : 0)));
  const dW1 = matmul(transpose(X), dH1);
  const dB1 = colSums(dH1);

  const w1 = dd.tensor(W1, { requiresGrad: true }), b1 = dd.tensor(B1, { requiresGrad: true });
  const w2 = dd.tensor(W2, { requiresGrad: true }), b2 = dd.tensor(B2, { requiresGrad: true });
  const out = dd.tensor(X).matmul(w1).add(b1).relu().matmul(w2).add(b2);
  const l = dd.nn.functional.mse(out, dd.tensor(T));
  expect(l.item()).toBeCloseTo(loss, 5);
  l.backward();
  expectClose(w1.grad, dW1);
  expectClose(b1.grad, dB1);
  expectClose(w2.grad, dW2);
  expectClose(b2.grad, dB2);
});

test('linear → tanh → linear → crossEntropy: gradients match hand-derived backprop', () => {
  const rng = new TestRandom(7);
  const [n, d, h, c] = [5, 4, 6, 3];
  const X = randMat(rng, n, d);
  const labels = [0, 2, 1, 2, 0];
  const W1 = randMat(rng, h, d), W2 = randMat(rng, c, h); // PyTorch layout [out, in]
  const B1 = randMat(rng, 1, h)[0], B2 = randMat(rng, 1, c)[0];

  const H1 = matmul(X, transpose(W1)).map((row) => row.map((v, j) => v + B1[j]));
  const A1 = H1.map((row) => row.map(Math.tanh));
  const Z = matmul(A1, transpose(W2)).map((row) => row.map((v, j) => v + B2[j]));
  const P = Z.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
  const loss = -labels.reduce((s, l, i) => s + Math.log(P[i][l]), 0) / n;
  const dZ = P.map((row, i) => row.map((p, j) => (p - (j === labels[i] ? 1 : 0)) / n));
  const dW2 = matmul(transpose(dZ), A1);
  const dB2 = colSums(dZ);
  const dA1 = matmul(dZ, W2);
  const dH1 = dA1.map((row, i) => row.map((v, j) => v * (1 - A1[i][j] ** 2)));
  const dW1 = matmul(transpose(dH1), X);
  const dB1 = colSums(dH1);

  const F = dd.nn.functional;
  const w1 = dd.tensor(W1, { requiresGrad: true }), b1 = dd.tensor(B1, { requiresGrad: true });
  const w2 = dd.tensor(W2, { requiresGrad: true }), b2 = dd.tensor(B2, { requiresGrad: true });
  const logits = F.linear(F.linear(dd.tensor(X), w1, b1).tanh(), w2, b2);
  const l = F.crossEntropy(logits, dd.tensor(labels, { dtype: 'int32' }));
  expect(l.item()).toBeCloseTo(loss, 5);
  l.backward();
  expectClose(w1.grad, dW1);
  expectClose(b1.grad, dB1);
  expectClose(w2.grad, dW2);
  expectClose(b2.grad, dB2);
});

test('README: a two-layer network and its training step in ten lines', () => {
  // XOR of the signs of two coordinates: not linearly separable.
  dd.manualSeed(0);
  const x = dd.rand([256, 2]).mul(2).sub(1);
  const xs = x.toArray() as number[][];
  const y = dd.tensor(xs.map(([a, b]) => (a * b > 0 ? 1 : 0)), { dtype: 'int32' });

  const w1 = dd.randn([2, 32]).mul(0.7).requiresGrad_(), b1 = dd.zeros([32], { requiresGrad: true });
  const w2 = dd.randn([32, 2]).mul(0.3).requiresGrad_(), b2 = dd.zeros([2], { requiresGrad: true });
  const model = (inp: dd.Tensor) => inp.matmul(w1).add(b1).relu().matmul(w2).add(b2);
  for (let step = 0; step < 300; step++) {
    const loss = dd.nn.functional.crossEntropy(model(x), y);
    for (const p of [w1, b1, w2, b2]) p.grad = null;
    loss.backward();
    dd.noGrad(() => [w1, b1, w2, b2].forEach((p) => p.copy_(p.sub(p.grad!.mul(0.5)))));
  }

  const accuracy = dd.noGrad(() => model(x).argmax(-1).toArray() as number[]).filter((c, i) => c === y.int32Data[i]).length / 256;
  expect(accuracy).toBeGreaterThan(0.95);
  expect(() => w1.copy_(w1.mul(2))).toThrow(/in-place change would be invisible to autograd/);
});
