/** model.summary(): the Keras-style table of layers, output shapes and parameter counts. */
import * as dd from '../../ts/index';

const { nn } = dd;

test('a small CNN: every layer with its output shape and parameters, and the totals', () => {
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Sequential(new nn.Conv2d(4, 8, 3), new nn.ReLU()),
    new nn.Flatten(),
    new nn.Dropout(0.5),
    new nn.Linear(32, 10),
  );
  (model[0] as dd.nn.Conv2d).requiresGrad_(false);
  expect(model.summary([1, 8, 8], { batchSize: 2 })).toBe(
    [
      'Layer (type)    Output Shape  Param #',
      '=====================================',
      'Sequential      [2, 10]            --',
      '0 (Conv2d)      [2, 4, 8, 8]       40',
      '1 (ReLU)        [2, 4, 8, 8]        0',
      '2 (MaxPool2d)   [2, 4, 4, 4]        0',
      '3 (Sequential)  [2, 8, 2, 2]       --',
      '3.0 (Conv2d)    [2, 8, 2, 2]      296',
      '3.1 (ReLU)      [2, 8, 2, 2]        0',
      '4 (Flatten)     [2, 32]             0',
      '5 (Dropout)     [2, 32]             0',
      '6 (Linear)      [2, 10]           330',
      '=====================================',
      'Input shape: [2, 1, 8, 8]',
      'Total params: 666',
      'Trainable params: 626',
      'Frozen params: 40',
    ].join('\n'),
  );
});

test('the run leaves no hooks, no graph and no mode change behind, and sizes lazy layers', () => {
  const seen: Array<[boolean, boolean]> = [];
  class Probe extends nn.Module {
    forward(x: dd.Tensor) {
      seen.push([this.training, dd.isGradEnabled()]);
      return x;
    }
  }
  const model = new nn.Sequential(new nn.Flatten(), new nn.LazyLinear(3), new nn.Dropout(0.5), new Probe());
  model.train();
  const text = model.summary([2, 2]);
  expect(text).toMatch(/\n1 \(Linear\) +\[1, 3\] +15\n/);
  expect(seen).toEqual([[false, false]]); // evaluation mode, no graph
  expect([...model.modules()].every((m) => !m._hasForwardHooks())).toBe(true);
  expect([...model.modules()].every((m) => m.training)).toBe(true);
  expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  expect(dd.isGradEnabled()).toBe(true);
});

test('several inputs and outputs, shared layers and layers called twice or never', () => {
  class TwoHeads extends nn.Module<{ logits: dd.Tensor; aux: dd.Tensor }> {
    embed = new nn.Embedding(10, 4);
    shared = new nn.Linear(4, 4);
    logits = new nn.Linear(4, 3);
    aux = new nn.Linear(4, 1);
    unused = new nn.Tanh();
    again = this.shared; // the same layer under a second name: its parameters counted once
    forward(ids: dd.Tensor, scale: dd.Tensor) {
      const h = this.shared.call(this.shared.call(this.embed.call(ids).mean(1)).mul(scale));
      return { logits: this.logits.call(h), aux: this.aux.call(h) };
    }
  }
  const text = new TwoHeads().summary([[5], [1]], { dtype: ['int32', 'float32'], batchSize: 2 });
  expect(text.split('\n')).toEqual([
    'Layer (type)       Output Shape                   Param #',
    '=========================================================',
    'TwoHeads           {logits: [2, 3], aux: [2, 1]}       --',
    'embed (Embedding)  [2, 5, 4]                           40',
    'shared (Linear)    [2, 4] ×2                           20',
    'logits (Linear)    [2, 3]                              15',
    'aux (Linear)       [2, 1]                               5',
    'unused (Tanh)      -                                    0',
    '=========================================================',
    'Input shape: [2, 5], [2, 1]',
    'Total params: 80',
    'Trainable params: 80',
    'Frozen params: 0',
  ]);
});

test('bad arguments are clear errors', () => {
  const m = new nn.Linear(2, 2);
  expect(() => m.summary([2.5])).toThrow(/summary: inputShape must be an array of non-negative integers/);
  expect(() => m.summary([2], { batchSize: 0 })).toThrow(/summary: batchSize must be a positive integer, got 0/);
  expect(() => m.summary([2], { batch: 2 } as never)).toThrow(/unknown option "batch"/);
  expect(() => m.summary([2], { dtype: ['int32', 'float32'] })).toThrow(/2 dtypes for 1 inputs/);
  expect(() => m.summary([3])).toThrow(/linear/);
});
