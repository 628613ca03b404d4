import * as dd from '../../ts/index';
import type { EarlyStoppingOptions } from '../../ts/train/callbacks/early-stopping';
import type { TrainingContext } from '../../ts/train/callback';
import { TestRandom } from '../support/random';

const { nn } = dd;

/**
 * Runs the callback over a scripted sequence of epoch values, as fit would:
 * the model's single weight is set to the epoch number before each epoch ends,
 * so the restored weight says which epoch's weights came back.
 */
function script(values: number[], options: EarlyStoppingOptions, monitor = 'val_loss') {
  const model = new nn.Linear(1, 1, { bias: false });
  const history = new dd.History();
  const ctx = { model, optimizer: null as never, epochs: values.length, stepsPerEpoch: 1, history, stopTraining: false } as TrainingContext;
  const es = dd.callbacks.earlyStopping({ monitor, ...options });
  es.onTrainBegin();
  let ran = 0;
  for (let epoch = 0; epoch < values.length && !ctx.stopTraining; epoch++) {
    model.weight.data[0] = epoch;
    const logs = { [monitor]: values[epoch] };
    history.record(epoch, logs);
    es.onEpochEnd(epoch, logs, ctx);
    ran++;
  }
  es.onTrainEnd({}, ctx);
  return { es, ran, history, weight: model.weight.data[0] };
}

test('patience: stops after that many epochs in a row without improvement', () => {
  const seq = [1, 0.8, 0.7, 0.75, 0.72, 0.71, 0.6, 0.9];
  const a = script(seq, { patience: 3 });
  expect(a.ran).toBe(6); // no improvement at epochs 3, 4, 5
  expect(a.es.bestEpoch).toBe(2);
  expect(a.es.stoppedEpoch).toBe(5);
  expect(a.history.stoppedEpoch).toBe(5);
  expect(a.history.stopReason).toMatch(/stopped after epoch 5: val_loss did not improve by more than 0 for 3 epochs since its best, 0.7 at epoch 2/);
  const b = script(seq, { patience: 4 });
  expect(b.ran).toBe(8);
  expect(b.es.bestEpoch).toBe(6);
  expect(b.history.stoppedEpoch).toBeUndefined();
  expect(script(seq, { patience: 0 }).ran).toBe(4);
  expect(script(seq, { patience: 1 }).ran).toBe(4);
});

test('minDelta: improvements smaller than it do not count', () => {
  const seq = [1, 0.97, 0.96, 0.955, 0.5];
  const a = script(seq, { patience: 2, minDelta: 0.05 });
  expect(a.es.bestEpoch).toBe(0); // none of 0.97, 0.96 beats 1 by more than 0.05
  expect(a.ran).toBe(3);
  const b = script(seq, { patience: 2, minDelta: -0.001 }); // the sign is ignored
  expect(b.es.bestEpoch).toBe(4);
});

test("mode: 'max' for accuracy-like names under 'auto', explicit modes respected", () => {
  const acc = [0.5, 0.6, 0.55, 0.58, 0.59];
  const a = script(acc, { patience: 2 }, 'val_accuracy');
  expect(a.es.mode).toBe('max');
  expect(a.es.bestEpoch).toBe(1);
  expect(a.ran).toBe(4);
  expect(dd.callbacks.earlyStopping({ monitor: 'val_loss' }).mode).toBe('min');
  expect(dd.callbacks.earlyStopping({ monitor: 'auc' }).mode).toBe('max');
  const b = script([3, 2, 1, 0], { patience: 1, mode: 'max' }, 'score');
  expect(b.ran).toBe(2);
  expect(b.es.bestEpoch).toBe(0);
});

test('warmup: early epochs are never judged', () => {
  const seq = [5, 6, 7, 1, 2, 3, 4];
  const a = script(seq, { patience: 1 });
  expect(a.ran).toBe(2);
  const b = script(seq, { patience: 2, warmup: 3 });
  expect(b.es.bestEpoch).toBe(3);
  expect(b.ran).toBe(6);
});

test('smoothing: an exponential moving average keeps one lucky epoch from deciding', () => {
  // A falling trend to epoch 9, then rising, with one lucky epoch (2) far below the trend.
  const seq = [1.0, 0.9, 0.45, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.52, 0.6, 0.7, 0.8, 0.9];
  const raw = script(seq, { patience: 3, restoreBestWeights: true });
  expect(raw.es.bestEpoch).toBe(2); // the lucky epoch wins, and the trend never beats it in time
  expect(raw.ran).toBe(6);
  expect(raw.weight).toBe(2);
  const smooth = script(seq, { patience: 3, smoothing: 0.7, restoreBestWeights: true });
  // s = 0.7·s + 0.3·v: 1, .97, .814, .8098, … , .6041, .5789 (epoch 10), .5852, .6196, .6738
  expect(smooth.es.bestEpoch).toBe(10);
  expect(smooth.es.bestValue).toBeCloseTo(0.57888, 4);
  expect(smooth.ran).toBe(14);
  expect(smooth.weight).toBe(10);
  expect(smooth.history.stopReason).toMatch(/val_loss \(smoothed, β=0.7\)/);
  expect(() => dd.callbacks.earlyStopping({ smoothing: 1 })).toThrow(/smoothing must be in \[0, 1\)/);
});

test('baseline: patience only resets on epochs that beat it', () => {
  const seq = [2.0, 1.5, 1.2, 1.1, 1.05, 0.5];
  const a = script(seq, { patience: 3, baseline: 1.0 });
  expect(a.ran).toBe(3); // improving, but never below 1.0
  expect(a.es.bestEpoch).toBe(2);
  expect(a.history.stopReason).toMatch(/did not beat the baseline 1 in 3 epochs/);
  const b = script([0.9, 0.8, 0.85, 0.86, 0.7], { patience: 3, baseline: 1.0 });
  expect(b.ran).toBe(5);
  expect(b.es.bestEpoch).toBe(4);
});

test('restoreBestWeights: the weights after training are those of the best epoch (stopped early or not)', () => {
  const a = script([1, 0.5, 0.7, 0.8, 0.9], { patience: 2, restoreBestWeights: true });
  expect(a.ran).toBe(4);
  expect(a.weight).toBe(1);
  expect(a.es.restored).toBe(true);
  expect(a.history.stopReason).toMatch(/restored the weights of epoch 1$/);
  const b = script([1, 0.5, 0.4, 0.45], { patience: 5, restoreBestWeights: true });
  expect(b.ran).toBe(4);
  expect(b.weight).toBe(2);
  const c = script([1, 0.5, 0.7], { patience: 1 });
  expect(c.weight).toBe(2); // without the option, the last weights stay
});

test('NaN never improves; a missing log is an error that lists the logs there are', () => {
  const a = script([1, NaN, NaN], { patience: 2 });
  expect(a.ran).toBe(3);
  expect(a.es.bestEpoch).toBe(0);
  expect(() => script([1], {}, 'loss').es.onEpochEnd(0, { accuracy: 1 }, {} as TrainingContext)).toThrow(/no 'loss' in the epoch logs; they have accuracy/);
  expect(() => dd.callbacks.earlyStopping({ patience: 1.5 })).toThrow(/patience/);
  expect(() => dd.callbacks.earlyStopping({ mode: 'up' as never })).toThrow(/mode/);
});

test('with fit: stops, says why in the history, and the restored weights equal the snapshot at the best epoch', async () => {
  dd.manualSeed(11);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
  const rng = new TestRandom(3);
  const data = { x: dd.tensor(rng.float32(48 * 4), [48, 4]), y: dd.tensor(Int32Array.from({ length: 48 }, (_, i) => i % 2), [48], { dtype: 'int32' }) };
  const scripted = [0.9, 0.7, 0.8, 0.65, 0.66, 0.9, 0.95, 0.99, 1, 1];
  const snapshots: Array<Record<string, dd.Tensor>> = [];
  const es = dd.callbacks.earlyStopping({ monitor: 'val_score', patience: 3, restoreBestWeights: true });
  const history = await dd.fit(model, data, {
    epochs: 10, batchSize: 16, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.3 }), loss: 'crossEntropy', verbose: 0, seed: 2,
    callbacks: [
      { onEpochEnd: (epoch, logs) => { logs.val_score = scripted[epoch]; snapshots.push(model.stateDict()); } },
      es,
    ],
  });
  expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(history.stoppedEpoch).toBe(6);
  expect(es.bestEpoch).toBe(3);
  expect(history.stopReason).toMatch(/val_score .* 0.65 at epoch 3; restored the weights of epoch 3/);
  const best = snapshots[3];
  const last = snapshots[6];
  let differsFromLast = false;
  for (const [name, p] of model.namedParameters()) {
    expect(Array.from(p.data)).toEqual(Array.from(best[name].data));
    differsFromLast ||= Array.from(p.data).some((v, i) => v !== last[name].data[i]);
  }
  expect(differsFromLast).toBe(true);
});
