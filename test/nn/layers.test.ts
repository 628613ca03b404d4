import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn } = dd;

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
}

test('Linear computes x·Wᵀ + b with weight [out, in]', () => {
  const lin = new nn.Linear(3, 2);
  lin.weight.data.set([1, 2, 3, 4, 5, 6]);
  lin.bias!.data.set([0.5, -1]);
  const y = lin.call(dd.tensor([[1, 0, -1], [2, 1, 0]]));
  expect(y.shape).toEqual([2, 2]);
  close(y.data, [1 - 3 + 0.5, 4 - 6 - 1, 2 + 2 + 0.5, 8 + 5 - 1]);
  expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
  expect(() => new nn.Linear(0, 2)).toThrow(/inFeatures must be a positive integer/);
});

test('Conv2d, MaxPool2d, AvgPool2d and Flatten give the expected shapes', () => {
  const x = dd.randn([2, 3, 9, 9]);
  const conv = new nn.Conv2d(3, 4, [3, 2], { stride: 2, padding: 1, dilation: [1, 2] });
  const y = conv.call(x);
  // width: kernel 2 dilated by 2 spans 3 columns: (9 + 2 - 3) / 2 + 1 = 5
  expect(y.shape).toEqual([2, 4, 5, 5]);
  expect(new nn.MaxPool2d(2).call(y).shape).toEqual([2, 4, 2, 2]);
  expect(new nn.AvgPool2d(3, 1, 1).call(y).shape).toEqual([2, 4, 5, 5]);
  expect(new nn.Flatten().call(y).shape).toEqual([2, 100]);
  expect(new nn.Flatten(2).call(y).shape).toEqual([2, 4, 25]);
  expect(conv.toString()).toBe('Conv2d(3, 4, kernelSize=[3,2], stride=[2,2], padding=[1,1], dilation=[1,2])');
});

test('Conv2d with a 1×1 kernel equals a per-pixel linear map', () => {
  const rng = new TestRandom(2);
  const conv = new nn.Conv2d(2, 1, 1);
  conv.weight.data.set([2, -1]);
  conv.bias!.data.set([0.25]);
  const xs = rng.float32(2 * 4);
  const y = conv.call(dd.tensor(xs, [1, 2, 2, 2]));
  close(y.data, [0, 1, 2, 3].map((i) => 2 * xs[i] - xs[4 + i] + 0.25));
});

test('Dropout is active in training and the identity in evaluation', () => {
  const x = dd.ones([1000]);
  const d = new nn.Dropout(0.5);
  const y = d.call(x).data;
  const kept = Array.from(y).filter((v) => v !== 0);
  expect(kept.every((v) => v === 2)).toBe(true);
  expect(kept.length).toBeGreaterThan(400);
  expect(kept.length).toBeLessThan(600);
  d.eval();
  expect(Array.from(d.call(x).data).every((v) => v === 1)).toBe(true);
  expect(() => new nn.Dropout(1.5)).toThrow(/p must be in \[0, 1\]/);
  const d2 = new nn.Dropout2d(0.5);
  const planes = d2.call(dd.ones([4, 8, 3, 3])).data;
  for (let p = 0; p < 32; p++) {
    const plane = Array.from(planes.subarray(p * 9, p * 9 + 9));
    expect(new Set(plane).size).toBe(1);
  }
});

test('Embedding looks up rows for int32 indices of any shape', () => {
  const e = new nn.Embedding(5, 3);
  const idx = dd.tensor([[4, 0], [1, 4]], { dtype: 'int32' });
  const y = e.call(idx);
  expect(y.shape).toEqual([2, 2, 3]);
  const w = e.weight.data;
  close(y.data.subarray(0, 3), w.subarray(12, 15));
  close(y.data.subarray(9, 12), w.subarray(12, 15));
  expect(() => e.call(dd.tensor([0.5]))).toThrow(/int32/);
});

test('activation modules apply their functions', () => {
  const x = dd.tensor([-2, -0.5, 0, 0.5, 2]);
  const xs = [-2, -0.5, 0, 0.5, 2];
  const erf = (v: number) => {
    // Abramowitz-Stegun 7.1.26 is too coarse; integrate instead (enough for 1e-5 here).
    let s = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const t = ((i + 0.5) / n) * v;
      s += Math.exp(-t * t);
    }
    return ((2 / Math.sqrt(Math.PI)) * s * v) / n;
  };
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  close(new nn.ReLU().call(x).data, xs.map((v) => Math.max(0, v)));
  close(new nn.Sigmoid().call(x).data, xs.map(sig));
  close(new nn.Logistic().call(x).data, xs.map(sig));
  close(new nn.Tanh().call(x).data, xs.map(Math.tanh));
  close(new nn.LeakyReLU(0.1).call(x).data, xs.map((v) => (v > 0 ? v : 0.1 * v)));
  close(new nn.ELU(0.5).call(x).data, xs.map((v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1))));
  close(new nn.GELU().call(x).data, xs.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), 1e-4);
  close(new nn.SiLU().call(x).data, xs.map((v) => v * sig(v)));
  close(new nn.Softplus().call(x).data, xs.map((v) => Math.log1p(Math.exp(v))));
  const sm = new nn.Softmax(1).call(dd.tensor([[1, 2, 3]])).data;
  const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
  close(sm, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z]);
  close(new nn.LogSoftmax().call(dd.tensor([[1, 2, 3]])).data, [1, 2, 3].map((v) => v - Math.log(z)));
});
