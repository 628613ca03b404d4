/** A short real-data run: the bundled Fashion-MNIST sample (10k/2k), two epochs of the W6 MLP. */
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import * as dd from '../../ts/index';
import { fashionMlp } from '../../ts/cli';

test('two epochs on the bundled sample reaches a sane test accuracy, and the weights survive a file round trip', async () => {
  const { train, test } = await dd.data.fashionMnist();
  dd.manualSeed(0);
  const model = fashionMlp();
  const history = await dd.fit(model, train, {
    epochs: 2, batchSize: 128, optimizer: new dd.optim.Adam(model.parameters()), loss: 'crossEntropy', metrics: ['accuracy'], seed: 0, verbose: 0,
  });
  expect(history.history.accuracy[0]).toBeGreaterThan(0.5); // a running mean over the epoch, dropout on
  const logs = await dd.evaluate(model, test, { batchSize: 500, loss: 'crossEntropy' });
  expect(logs.accuracy).toBeGreaterThan(0.75);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-')), 'mlp.safetensors');
  await dd.io.writeSafetensors(file, model.stateDict());
  const restored = fashionMlp();
  restored.loadStateDict((await dd.io.readSafetensors(file)).tensors);
  const again = await dd.evaluate(restored, test, { batchSize: 500, loss: 'crossEntropy' });
  expect(again.accuracy).toBe(logs.accuracy);
  expect(again.loss).toBeCloseTo(logs.loss, 6);
});
