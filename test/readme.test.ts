/** The README's code, as written there (with one epoch), runs and learns. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../ts';

const { nn } = dd;

test("README: the ten-line training step and the fit / save / load / ONNX walk-through", async () => {
  dd.manualSeed(0);
  const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new dd.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = dd.rand([64, 1, 28, 28]), y = dd.randint(0, 10, [64]);
  let first = 0, last = 0;
  for (let step = 0; step < 100; step++) {
    opt.zeroGrad();
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    if (step === 0) first = loss.item();
    last = loss.item();
  }
  expect(last).toBeLessThan(first / 2);

  const { train, test } = await dd.data.fashionMnist();
  const history = await dd.fit(model, train, {
    epochs: 1, batchSize: 128, optimizer: opt, loss: 'crossEntropy', metrics: ['accuracy'], verbose: 0,
    validationSplit: 0.1, callbacks: [dd.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true })],
  });
  expect(history.history.val_loss.length).toBe(1);
  const { accuracy } = await dd.evaluate(model, test, { loss: 'crossEntropy', metrics: ['accuracy'] });
  expect(accuracy).toBeGreaterThan(0.7);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-readme-'));
  try {
    await dd.saveModel(model, path.join(dir, 'fashion'));
    const again = await dd.loadModel(path.join(dir, 'fashion'));
    const input = dd.rand([3, 1, 28, 28]);
    model.eval();
    expect(Array.from((again as dd.nn.Module).forward(input).data)).toEqual(Array.from(model.forward(input).data));
    await dd.exportOnnx(model, path.join(dir, 'fashion.onnx'), { inputShape: [1, 28, 28] });
    expect(fs.statSync(path.join(dir, 'fashion.onnx')).size).toBeGreaterThan(400000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
