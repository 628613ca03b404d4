/**
 * A model trained here, saved with saveModel and loaded by another Node
 * process with loadModel, predicts byte-identical outputs there.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { TestRandom } from '../support/random';
import { runChildAsync } from './support/child';

const { nn } = dd;

test('a second process that loads the saved model predicts the same bytes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-predict-'));
  try {
    dd.manualSeed(21);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(4, 8, 3, { padding: 1 }), new nn.GELU(), new nn.AvgPool2d(2), new nn.Dropout2d(0.1),
      new nn.Flatten(), new nn.Linear(8 * 3 * 3, 16), new nn.Tanh(), new nn.Dropout(0.5), new nn.Linear(16, 5), new nn.LogSoftmax(),
    );
    const rng = new TestRandom(8);
    const x = dd.tensor(rng.float32(10 * 144), [10, 1, 12, 12]);
    const labels = dd.tensor(Int32Array.from({ length: 10 }, (_, i) => i % 5), [10]);
    const opt = new dd.optim.Adam(model.parameters(), { lr: 1e-2 });
    model.train();
    for (let i = 0; i < 4; i++) {
      opt.zeroGrad();
      const loss = dd.nn.functional.nllLoss(model.call(x), labels);
      loss.backward();
      opt.step();
    }
    const here = await dd.predict(model, x, { batchSize: 4 });
    await dd.saveModel(model, path.join(dir, 'model'));
    dd.io.writeSafetensorsSync(path.join(dir, 'x.safetensors'), { x: { shape: [...x.shape], data: x.data } });

    const r = await runChildAsync(
      `
      (async () => {
        const model = await dd.loadModel(process.argv[1] + '/model');
        const x = dd.io.readSafetensorsSync(process.argv[1] + '/x.safetensors').tensors.x;
        const y = await dd.predict(model, dd.tensor(x.data, x.shape), { batchSize: 4 });
        process.stdout.write(JSON.stringify({ shape: y.shape, hex: Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength).toString('hex') }));
      })().catch((e) => { console.error(e); process.exit(1); });
      `,
      [dir],
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const there = JSON.parse(r.stdout);
    expect(there.shape).toEqual([10, 5]);
    expect(there.hex).toBe(Buffer.from(here.data.buffer, here.data.byteOffset, here.data.byteLength).toString('hex'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
