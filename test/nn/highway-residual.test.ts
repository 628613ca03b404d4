/** Highway layers and residual blocks: forward against double references, gradients against finite differences. */
import * as dd from '../../ts';
import { TestRandom } from '../support/random';
import { expectGradient, linear, sigmoid } from './deep-support';

const { nn } = dd;

function randomInput(rows: number, dim: number, seed: number) {
  const rng = new TestRandom(seed);
  const x = rng.float32(rows * dim, -2, 2);
  return { x, t: dd.tensor(x, [rows, dim], { requiresGrad: true }) };
}

describe('Highway', () => {
  test('the gate bias starts at −2 by default and as given', () => {
    expect(Array.from(new nn.Highway(4).gate.bias!.data)).toEqual([-2, -2, -2, -2]);
    expect(Array.from(new nn.Highway(2, { gateBias: -1 }).gate.bias!.data)).toEqual([-1, -1]);
  });

  test.each(['relu', 'tanh', 'sigmoid'] as const)('forward and gradients (%s)', (activation) => {
    dd.manualSeed(11);
    const rows = 3, dim = 5;
    const layer = new nn.Highway(dim, { activation });
    const { x, t } = randomInput(rows, dim, 1);
    const wy = new TestRandom(2).float32(rows * dim);
    const act = activation === 'relu' ? (v: number) => Math.max(0, v) : activation === 'tanh' ? Math.tanh : sigmoid;
    const wH = Float64Array.from(layer.transform.weight.data), bH = Float64Array.from(layer.transform.bias!.data);
    const wT = Float64Array.from(layer.gate.weight.data), bT = Float64Array.from(layer.gate.bias!.data);
    const xd = Float64Array.from(x);
    const reference = () => {
      const h = linear(xd, rows, dim, wH, bH, dim);
      const g = linear(xd, rows, dim, wT, bT, dim);
      let loss = 0;
      for (let i = 0; i < rows * dim; i++) {
        const T = sigmoid(g[i]);
        loss += wy[i] * (T * act(h[i]) + (1 - T) * xd[i]);
      }
      return loss;
    };
    const y = layer.call(t);
    const loss = y.mul(dd.tensor(wy, [rows, dim])).sum();
    expect(loss.item()).toBeCloseTo(reference(), 4);
    loss.backward();
    expectGradient(xd, reference, t.grad!.data, 'input');
    expectGradient(wH, reference, layer.transform.weight.grad!.data, 'transform.weight');
    expectGradient(bT, reference, layer.gate.bias!.grad!.data, 'gate.bias');
    expectGradient(wT, reference, layer.gate.weight.grad!.data, 'gate.weight');
  });

  test('a very negative gate carries the input through', () => {
    const layer = new nn.Highway(3, { gateBias: -30 });
    const x = dd.tensor([[1, -2, 3]]);
    const y = layer.call(x).data;
    expect(Array.from(y).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, -2, 3]);
  });

  test('bad options and shapes are clear errors', () => {
    expect(() => new nn.Highway(0)).toThrow(RangeError);
    expect(() => new nn.Highway(3, { activation: 'swishy' as never })).toThrow(/activation must be one of/);
    expect(() => new nn.Highway(3).call(dd.zeros([2, 4]))).toThrow(/last dimension is 3/);
  });
});

describe('residual blocks', () => {
  test('ResidualDense: forward and gradients', () => {
    dd.manualSeed(5);
    const rows = 2, dim = 4, hidden = 3;
    const block = new nn.ResidualDense(dim, { hiddenDim: hidden, activation: 'tanh' });
    const { x, t } = randomInput(rows, dim, 3);
    const wy = new TestRandom(4).float32(rows * dim);
    const w1 = Float64Array.from(block.fc1.weight.data), b1 = Float64Array.from(block.fc1.bias!.data);
    const w2 = Float64Array.from(block.fc2.weight.data), b2 = Float64Array.from(block.fc2.bias!.data);
    const xd = Float64Array.from(x);
    const reference = () => {
      const h = linear(xd, rows, dim, w1, b1, hidden).map(Math.tanh);
      const f = linear(h, rows, hidden, w2, b2, dim);
      let loss = 0;
      for (let i = 0; i < rows * dim; i++) loss += wy[i] * (xd[i] + f[i]);
      return loss;
    };
    const loss = block.call(t).mul(dd.tensor(wy, [rows, dim])).sum();
    expect(loss.item()).toBeCloseTo(reference(), 4);
    loss.backward();
    expectGradient(xd, reference, t.grad!.data, 'input');
    expectGradient(w1, reference, block.fc1.weight.grad!.data, 'fc1.weight');
    expectGradient(b2, reference, block.fc2.bias!.grad!.data, 'fc2.bias');
  });

  test('Residual(module) adds its input and checks shapes', () => {
    const r = new nn.Residual(new nn.Tanh());
    const x = dd.tensor([[0.5, -1]]);
    const y = r.call(x).data;
    expect(y[0]).toBeCloseTo(0.5 + Math.tanh(0.5), 6);
    expect(y[1]).toBeCloseTo(-1 + Math.tanh(-1), 6);
    expect(() => new nn.Residual(new nn.Linear(2, 3)).call(x)).toThrow(/must have the input's shape/);
  });

  test('ResidualConv2d: identity skip, projection when channels or stride change, gradients flow to every parameter', () => {
    dd.manualSeed(9);
    const same = new nn.ResidualConv2d(3);
    expect(same.shortcut).toBeNull();
    // With both convolutions zeroed the block is relu(x).
    for (const p of [same.conv1.weight, same.conv1.bias!, same.conv2.weight, same.conv2.bias!]) p.data.fill(0);
    const x = dd.randn([2, 3, 5, 5]);
    const y = same.call(x);
    expect(Array.from(y.data)).toEqual(Array.from(x.data).map((v) => Math.max(0, v)));

    const down = new nn.ResidualConv2d(3, { outChannels: 4, stride: 2 });
    expect(down.shortcut).not.toBeNull();
    const z = down.call(dd.randn([2, 3, 6, 6], { requiresGrad: true }));
    expect(z.shape).toEqual([2, 4, 3, 3]);
    z.sum().backward();
    for (const [name, p] of down.namedParameters()) expect([name, p.grad === null]).toEqual([name, false]);
    expect(() => new nn.ResidualConv2d(3, { kernelSize: 2 })).toThrow(/odd/);
  });
});
