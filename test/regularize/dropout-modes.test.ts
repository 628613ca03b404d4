import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const { nn } = dd;

test('Dropout: active in train(), the identity in eval(), switched through the whole tree', () => {
  dd.manualSeed(4);
  const drop = new nn.Dropout(0.25);
  const model = new nn.Sequential(new nn.Linear(3, 3), drop);
  const x = dd.tensor(new TestRandom(1).float32(4000, 0.5, 1.5), [4000]);
  expect(drop.training).toBe(true);
  const y = drop.call(x).data;
  let zeros = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 0) zeros++;
    else expect(y[i]).toBeCloseTo(x.data[i] / 0.75, 5); // inverted dropout keeps the expectation
  }
  expect(zeros / y.length).toBeGreaterThan(0.2);
  expect(zeros / y.length).toBeLessThan(0.3);

  model.eval();
  expect(drop.training).toBe(false);
  expect(Array.from(drop.call(x).data)).toEqual(Array.from(x.data));
  model.train();
  expect(drop.training).toBe(true);
  expect(Array.from(drop.call(x).data)).not.toEqual(Array.from(x.data));
});

test('Dropout backward passes the gradient through the kept elements only, scaled', () => {
  dd.manualSeed(6);
  const x = dd.ones([200]).requiresGrad_();
  const y = new nn.Dropout(0.5).call(x);
  y.sum().backward();
  const out = y.data, g = x.grad!.data;
  for (let i = 0; i < 200; i++) expect(g[i]).toBe(out[i] === 0 ? 0 : 2);
});

test('Dropout2d drops whole channels of NCHW input in training, nothing in evaluation', () => {
  dd.manualSeed(8);
  const [n, c, h, w] = [4, 16, 3, 5];
  const x = dd.tensor(new TestRandom(2).float32(n * c * h * w, 1, 2), [n, c, h, w]);
  const drop = new nn.Dropout2d(0.5);
  const y = drop.call(x).data;
  let dropped = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const values = Array.from(y.subarray(plane * h * w, (plane + 1) * h * w));
    const source = x.data.subarray(plane * h * w, (plane + 1) * h * w);
    if (values[0] === 0) {
      dropped++;
      expect(values.every((v) => v === 0)).toBe(true);
    } else {
      values.forEach((v, i) => expect(v).toBeCloseTo(2 * source[i], 5));
    }
  }
  expect(dropped).toBeGreaterThan(16);
  expect(dropped).toBeLessThan(48);
  drop.eval();
  expect(Array.from(drop.call(x).data)).toEqual(Array.from(x.data));
});
