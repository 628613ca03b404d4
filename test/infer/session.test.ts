/**
 * dd.compileForInference: the session's outputs against the plain forward in
 * evaluation mode, for the Fashion MLP and CNN and for awkward shapes (batch 1,
 * prime batches, odd spatial sizes, one and several input channels, padding,
 * stride, dilation, groups, pools the kernels take and those they leave to
 * the layer), on every ISA path and 1 and 2 threads.
 */
import * as dd from '../../ts/index';
import { forEachBackend } from '../support/isa';
import { expectSameAsForward, input, reference, worstError } from './support';

const { nn } = dd;

describe('the Fashion models', () => {
  test.each([
    ['MLP', dd.models.fashionMlp],
    ['CNN', dd.models.fashionCnn],
  ])('%s: session.run matches the forward at batch 1, 7 and 64 on every ISA and thread count', (_name, make) => {
    dd.manualSeed(3);
    const model = make().eval();
    const session = dd.compileForInference(model, { inputShape: [1, 28, 28] });
    forEachBackend(() => {
      for (const [batch, seed] of [[1, 1], [7, 2], [64, 3]]) expectSameAsForward(session, model, input([batch, 1, 28, 28], seed));
    });
  });

  test('the CNN runs as one native program; the MLP too', () => {
    dd.manualSeed(0);
    for (const make of [dd.models.fashionCnn, dd.models.fashionMlp]) {
      const session = dd.compileForInference(make().eval());
      session.run(input([2, 1, 28, 28], 4));
      expect(session.describe()).toHaveLength(1);
      expect(session.describe()[0]).toMatch(/^native: /);
    }
  });

  test('a model in training mode still gives evaluation-mode outputs (dropout off), and stays in training mode', () => {
    dd.manualSeed(1);
    const model = dd.models.fashionMlp(); // training mode: dropout active in model.call
    const session = dd.compileForInference(model);
    const x = input([5, 1, 28, 28], 5);
    expect(worstError(session.run(x), reference(model, x))).toBeLessThanOrEqual(2e-5);
    expect(model.training).toBe(true);
  });
});

describe('awkward shapes', () => {
  // Each case: a model and an input shape; every one is compared with the forward.
  const cases: Array<[string, () => dd.nn.Module, number[]]> = [
    ['one input channel, stride 2, padding 2, pool', () => new nn.Sequential(new nn.Conv2d(1, 3, 3, { stride: 2, padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2)), [3, 1, 13, 11]],
    ['one input channel, 5×5, no padding, odd sizes', () => new nn.Sequential(new nn.Conv2d(1, 4, 5), new nn.ReLU()), [2, 1, 9, 7]],
    ['Winograd, odd sizes, pool before ReLU', () => new nn.Sequential(new nn.Conv2d(5, 7, 3, { padding: 1 }), new nn.MaxPool2d(2), new nn.ReLU()), [3, 5, 13, 11]],
    ['Winograd without padding or activation', () => new nn.Sequential(new nn.Conv2d(8, 6, 3)), [2, 8, 10, 9]],
    ['Winograd with an overlapping 3×3 pool of stride 2', () => new nn.Sequential(new nn.Conv2d(6, 5, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(3, 2)), [2, 6, 11, 12]],
    ['three input channels (im2col), pool', () => new nn.Sequential(new nn.Conv2d(3, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2)), [5, 3, 9, 8]],
    ['stride 2 and dilation 2', () => new nn.Sequential(new nn.Conv2d(4, 6, 3, { stride: 2, padding: 2, dilation: 2 }), new nn.ReLU()), [2, 4, 12, 13]],
    ['groups, no bias', () => new nn.Sequential(new nn.Conv2d(4, 6, 3, { padding: 'same', groups: 2, bias: false }), new nn.ReLU(), new nn.MaxPool2d(2)), [1, 4, 7, 7]],
    ['a pool with padding (run by the layer)', () => new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.ReLU(), new nn.MaxPool2d(2, { padding: 1 })), [2, 2, 8, 8]],
    ['a pool in ceil mode (run by the layer)', () => new nn.Sequential(new nn.Conv2d(4, 3, 3), new nn.MaxPool2d(2, { ceilMode: true }), new nn.ReLU()), [2, 4, 9, 9]],
    ['layers the session does not fuse in between', () => new nn.Sequential(new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(8 * 4 * 4, 5), new nn.Tanh(), new nn.Linear(5, 3)), [3, 3, 8, 8]],
    ['Linear on 3-D input, without bias; Flatten of the last two axes', () => new nn.Sequential(new nn.Linear(7, 6, { bias: false }), new nn.ReLU(), new nn.Flatten(1, 2), new nn.Linear(30, 4)), [2, 5, 7]],
    ['nested Sequentials, Dropout and Identity', () => new nn.Sequential(new nn.Sequential(new nn.Flatten(), new nn.Dropout(0.3)), new nn.Identity(), new nn.Sequential(new nn.Linear(12, 9), new nn.ReLU()), new nn.Dropout2d(0.1), new nn.Linear(9, 2)), [11, 3, 4]],
    ['a batch of 0', () => dd.models.fashionCnn(), [0, 1, 28, 28]],
  ];

  test.each(cases)('%s: session.run matches the forward on every ISA and thread count', (_name, make, shape) => {
    dd.manualSeed(7);
    const model = make();
    model.eval();
    // Give batch-norm statistics something other than their defaults.
    for (const [name, b] of model.namedBuffers()) if (name.endsWith('running_var')) b.data.fill(1.7);
    const session = dd.compileForInference(model);
    forEachBackend(() => expectSameAsForward(session, model, input(shape, shape.length + shape[0])));
    // The fused kernels ran (not only the layers' own forwards).
    expect(session.describe().some((line) => line.startsWith('native: '))).toBe(true);
  });

  test('prime and changing batch sizes reuse or make plans, and every plan gives the forward', () => {
    dd.manualSeed(2);
    const model = dd.models.fashionCnn().eval();
    const session = dd.compileForInference(model, { maxShapes: 2 });
    for (const [batch, seed] of [[3, 1], [13, 2], [3, 3], [1, 4], [13, 5], [3, 6]]) expectSameAsForward(session, model, input([batch, 1, 28, 28], seed));
  });
});

describe('outputs', () => {
  test('each run returns a fresh tensor: changing one does not change the next', () => {
    dd.manualSeed(0);
    const model = dd.models.fashionMlp().eval();
    const session = dd.compileForInference(model);
    const x = input([2, 1, 28, 28], 9);
    const a = session.run(x);
    const kept = a.data.slice();
    a.data.fill(0);
    const b = session.run(x);
    expect(Array.from(b.data)).toEqual(Array.from(kept));
    expect(b.requiresGrad).toBe(false);
  });

  test('an output that would share a buffer of the session (a last layer returning its input) is copied', () => {
    class PassThrough extends nn.Module {
      forward(x: dd.Tensor): dd.Tensor {
        return x;
      }
    }
    dd.manualSeed(0);
    const model = new nn.Sequential(new nn.Conv2d(2, 4, 3), new nn.ReLU(), new PassThrough(), new nn.Flatten()).eval();
    const session = dd.compileForInference(model);
    const x = input([2, 2, 6, 6], 10);
    const first = session.run(x);
    const copy = first.data.slice();
    session.run(input([2, 2, 6, 6], 11));
    expect(Array.from(first.data)).toEqual(Array.from(copy));
  });
});
