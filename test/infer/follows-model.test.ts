/**
 * A session follows its model after compiling: weights changed by training,
 * by loadStateDict or by assigning new tensors are used at the next run
 * (the plan reads them at every run and keeps no copy), and new layers,
 * hooks, or parameters of other shapes make it plan again.
 */
import * as dd from '../../ts/index';
import { expectSameAsForward, input, reference, worstError } from './support';

const { nn } = dd;

function crossEntropyStep(model: dd.nn.Module, optimizer: dd.optim.Optimizer, x: dd.Tensor, labels: number[]): void {
  optimizer.zeroGrad();
  const loss = dd.nn.functional.crossEntropy(model.call(x), dd.tensor(labels, [labels.length], { dtype: 'int32' }));
  loss.backward();
  optimizer.step();
}

describe('weights changed after compiling', () => {
  test('training steps (SGD on the CNN, Adam on the MLP) are seen at the next run', () => {
    for (const make of [dd.models.fashionCnn, dd.models.fashionMlp]) {
      dd.manualSeed(11);
      const model = make();
      const session = dd.compileForInference(model, { inputShape: [1, 28, 28] });
      const x = input([4, 1, 28, 28], 12);
      const before = session.run(x);
      const optimizer = make === dd.models.fashionCnn ? new dd.optim.SGD(model.parameters(), { lr: 0.5 }) : new dd.optim.Adam(model.parameters(), { lr: 0.05 });
      model.train();
      for (let i = 0; i < 2; i++) crossEntropyStep(model, optimizer, x, [1, 2, 3, 4]);
      model.eval();
      const after = session.run(x);
      // The weights moved, and the session computes with the new ones.
      expect(worstError(after, before)).toBeGreaterThan(1e-3);
      expectSameAsForward(session, model, x);
    }
  });

  test('loadStateDict, and weights written through .data, are seen at the next run', () => {
    dd.manualSeed(1);
    const model = dd.models.fashionCnn().eval();
    const session = dd.compileForInference(model);
    const x = input([3, 1, 28, 28], 13);
    session.run(x);
    dd.manualSeed(2);
    model.loadStateDict(dd.models.fashionCnn().stateDict());
    expectSameAsForward(session, model, x);
    (model[0] as dd.nn.Conv2d).weight.data.fill(0.01);
    (model[7] as dd.nn.Linear).bias!.data.fill(-3);
    expectSameAsForward(session, model, x);
  });

  test('a layer given new parameter tensors (same or other sizes, a bias removed) is run with them', () => {
    dd.manualSeed(4);
    const model = new nn.Sequential(new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(3 * 5 * 5, 4)).eval();
    const session = dd.compileForInference(model);
    const x = input([2, 2, 5, 5], 14);
    session.run(x);
    const conv = model[0] as dd.nn.Conv2d, linear = model[3] as dd.nn.Linear;
    conv.weight = dd.randn([3, 2, 3, 3]);
    expectSameAsForward(session, model, x);
    conv.bias = null;
    expectSameAsForward(session, model, x);
    linear.weight = dd.randn([4, 75]);
    linear.bias = dd.randn([4]);
    expectSameAsForward(session, model, x);
  });
});

describe('the model changed after compiling', () => {
  test('a layer appended or replaced is run at the next call', () => {
    dd.manualSeed(5);
    const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(12, 6), new nn.ReLU()).eval();
    const session = dd.compileForInference(model);
    const x = input([3, 3, 4], 15);
    expect(session.run(x).shape).toEqual([3, 6]);
    model.append(new nn.Linear(6, 2));
    expect(session.run(x).shape).toEqual([3, 2]);
    expectSameAsForward(session, model, x);
    model.registerModule('1', new nn.Linear(12, 6));
    expectSameAsForward(session, model, x);
  });

  test('a lazy Linear is fused once it has its size', () => {
    dd.manualSeed(6);
    const model = new nn.Sequential(new nn.Flatten(), new nn.LazyLinear(5), new nn.ReLU()).eval();
    const session = dd.compileForInference(model);
    const x = input([2, 7], 16);
    expectSameAsForward(session, model, x);
    expectSameAsForward(session, model, x);
    expect(session.describe()).toEqual(['native: Linear']);
  });

  test('hooks added after compiling run, on fused layers and on containers, and may replace outputs', () => {
    dd.manualSeed(7);
    const model = dd.models.fashionCnn().eval();
    const session = dd.compileForInference(model);
    const x = input([2, 1, 28, 28], 17);
    session.run(x);
    const seen: number[][] = [];
    const handle = model[3].registerForwardHook((_m, _inputs, out) => {
      seen.push([...(out as dd.Tensor).shape]);
      return (out as dd.Tensor).mul(0);
    });
    // The hook saw the convolution's own output, and its replacement went on through the model.
    expect(worstError(session.run(x), reference(model, x))).toBeLessThanOrEqual(2e-5);
    expect(seen[0]).toEqual([2, 64, 14, 14]);
    handle.remove();
    expectSameAsForward(session, model, x);
    let calls = 0;
    const outer = model.registerForwardPreHook(() => {
      calls++;
    });
    session.run(x);
    expect(calls).toBe(1);
    outer.remove();
  });
});
