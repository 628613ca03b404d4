/** dd.predict runs evaluation models through their inference session, batch after batch, with the same results. */
import * as dd from '../../ts/index';
import { native } from '../../ts/native';
import { input, reference, worstError } from './support';

describe('dd.predict', () => {
  test('uses the fused program (one native call per batch) and gives the forward\'s outputs', async () => {
    dd.manualSeed(21);
    const model = dd.models.fashionCnn();
    const x = input([70, 1, 28, 28], 21);
    const addon = native();
    const spy = jest.spyOn(addon, 'inferRun');
    try {
      const out = await dd.predict(model, x, { batchSize: 32 });
      // 32 + 32 + 6 samples: three batches, three runs of the program.
      expect(spy).toHaveBeenCalledTimes(3);
      expect(worstError(out, reference(model, x))).toBeLessThanOrEqual(2e-5);
      // The model was in training mode, and still is; the outputs were evaluation mode's.
      expect(model.training).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  test('a batch of the same shape again reuses its plan, and a model changed between calls is followed', async () => {
    dd.manualSeed(22);
    const model = dd.models.fashionMlp().eval();
    const x = input([5, 1, 28, 28], 22);
    const first = await dd.predict(model, x);
    expect(worstError(first, reference(model, x))).toBeLessThanOrEqual(2e-5);
    (model[1] as dd.nn.Linear).weight.data.fill(0.002);
    const second = await dd.predict(model, x);
    expect(worstError(second, reference(model, x))).toBeLessThanOrEqual(2e-5);
    expect(worstError(second, first)).toBeGreaterThan(1e-3);
  });

  test('models without fused layers run as before', async () => {
    const model = new dd.nn.Sequential(new dd.nn.Tanh(), new dd.nn.Sigmoid());
    const x = input([3, 4], 23);
    const spy = jest.spyOn(native(), 'inferRun');
    try {
      const out = await dd.predict(model, x);
      expect(spy).not.toHaveBeenCalled();
      expect(worstError(out, reference(model, x))).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});
