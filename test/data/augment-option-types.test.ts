// The `augment` options of fit and DataLoader take what dd.data.augment.compose()
// returns, as it is. ts-jest type-checks this file, so a type error here (a
// pipeline that needs a cast to pass) fails the test run: no casts below.
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';

const N = 12;
const images = () => new TestRandom(7).float32(N * 16, 0, 1);
const labels = () => Int32Array.from({ length: N }, (_, i) => i % 2);
const pipeline = (seed: number) => dd.data.augment.compose([dd.data.augment.randomShift({ pad: 1 }), dd.data.augment.horizontalFlip()], { seed });

test("fit's augment takes a compose() pipeline", async () => {
  dd.manualSeed(3);
  const model = new dd.nn.Sequential(new dd.nn.Flatten(), new dd.nn.Linear(16, 2));
  const data = { x: dd.tensor(images(), [N, 1, 4, 4]), y: dd.tensor(labels(), [N], { dtype: 'int32' }) };
  const augment: dd.FitOptions['augment'] = pipeline(5);
  const history = await dd.fit(model, data, {
    epochs: 2, batchSize: 4, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy', verbose: 0, augment,
  });
  expect(history.epoch).toEqual([0, 1]);
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
});

test("DataLoader's augment takes a compose() pipeline and an ImageAugmenter alike", () => {
  const ds = new dd.data.Dataset({ data: images(), shape: [N, 1, 4, 4] }, { data: labels(), shape: [N] });
  const options = (augment: dd.data.BatchAugmenter): dd.data.DataLoaderOptions => ({ batchSize: 5, shuffle: true, seed: 2, augment, reuseBuffers: false });
  const epoch = (loader: dd.data.DataLoader) => [...loader.epoch(1)].map((b) => Array.from(b.x.data));
  const composed = new dd.data.DataLoader(ds, { batchSize: 5, shuffle: true, seed: 2, augment: pipeline(5), reuseBuffers: false });
  // Each batch is the pipeline's apply() with the loader's per-batch seed: the same every time, and augmented.
  expect(epoch(composed)).toEqual(epoch(new dd.data.DataLoader(ds, options(pipeline(5)))));
  const plain = epoch(new dd.data.DataLoader(ds, { batchSize: 5, shuffle: true, seed: 2, reuseBuffers: false }));
  expect(epoch(composed)).not.toEqual(plain);
  expect(epoch(composed).map((x) => x.length)).toEqual([80, 80, 32]);
  const augmenter = new dd.data.DataLoader(ds, options(new dd.data.ImageAugmenter({ shift: 1, flip: true })));
  expect(epoch(augmenter).map((x) => x.length)).toEqual([80, 80, 32]);
});

test('DataLoader rejects an augment without apply/outputShape with a TypeError', () => {
  const ds = new dd.data.Dataset({ data: images(), shape: [N, 1, 4, 4] }, { data: labels(), shape: [N] });
  const notAnAugmenter = { transform: (x: dd.Tensor) => x } as unknown as dd.data.BatchAugmenter;
  expect(() => new dd.data.DataLoader(ds, { batchSize: 4, augment: notAnAugmenter })).toThrow(TypeError);
  expect(() => new dd.data.DataLoader(ds, { batchSize: 4, augment: notAnAugmenter })).toThrow(/augment must have apply/);
});
