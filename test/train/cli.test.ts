import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { fashionMlp, main, train } from '../../ts/cli';

/** Collects what is written to stdout or stderr, instead of printing it. */
function capture(stream: NodeJS.WriteStream) {
  const chunks: string[] = [];
  const spy = jest.spyOn(stream, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

test('dendrite train --model mlp trains on the bundled sample and prints the test accuracy', async () => {
  const out = capture(process.stdout);
  try {
    expect(await main(['train', '--model', 'mlp', '--epochs', '1', '--quiet', '--seed', '3'])).toBe(0);
  } finally {
    out.restore();
  }
  const m = /test accuracy (\d+\.\d\d)% \(loss \d\.\d{4}\) after 1 epoch\(s\)/.exec(out.text());
  expect(m).not.toBeNull();
  expect(Number(m![1])).toBeGreaterThan(70);
});

/** Runs `dendrite train` quietly; returns what it printed on stdout and stderr. */
async function runTrain(args: string[]): Promise<{ out: string; err: string }> {
  const out = capture(process.stdout);
  const err = capture(process.stderr);
  try {
    expect(await main(['train', ...args])).toBe(0);
  } finally {
    out.restore();
    err.restore();
  }
  return { out: out.text(), err: err.text() };
}

test('--save PATH writes a model folder that loadModel reads back, scoring the printed test accuracy; a .safetensors PATH gets bare weights', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-cli-'));
  try {
    const folder = path.join(dir, 'fashion-mlp');
    const { out, err } = await runTrain(['--model', 'mlp', '--epochs', '1', '--quiet', '--seed', '5', '--save', folder]);
    const printed = /test accuracy (\d+\.\d\d)% \(loss (\d\.\d{4})\)/.exec(out);
    expect(printed).not.toBeNull();
    expect(err).toContain(`model written to ${folder}; load it with: const model = await dd.loadModel(${JSON.stringify(folder)})`);
    expect(fs.readdirSync(folder).sort()).toEqual([dd.io.DESCRIPTION_FILE, dd.io.WEIGHTS_FILE].sort());

    const loaded = await dd.loadModel(folder);
    const { test: testSet } = await dd.data.fashionMnist();
    const logs = await dd.evaluate(loaded, testSet, { batchSize: 500, loss: 'crossEntropy' });
    expect((100 * logs.accuracy).toFixed(2)).toBe(printed![1]);
    expect(logs.loss.toFixed(4)).toBe(printed![2]);

    // Bare weights: the same seeded training, loaded into the same network, gives the same predictions.
    const file = path.join(dir, 'weights.safetensors');
    const bare = await runTrain(['--model', 'mlp', '--epochs', '1', '--quiet', '--seed', '5', '--save', file]);
    expect(bare.err).toMatch(/weights written to .*weights\.safetensors \(bare safetensors/);
    await expect(dd.loadModel(file)).rejects.toThrow(/no model description/);
    const net = fashionMlp();
    net.loadStateDict(await dd.loadWeights(file));
    const x = dd.data.arrayToTensor(testSet.x).narrow(0, 0, 64);
    const a = await dd.predict(net, x);
    const b = await dd.predict(loaded, x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--model bn trains the batch-normalised CNN with its recipe; --plots writes the curves, the confusion matrix and the filters; --save keeps the batch-norm statistics', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-cli-'));
  try {
    // The first 2000 training and 500 test images of the bundled sample keep this quick.
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    for (const [name, count] of [['train', 2000], ['t10k', 500]] as const) {
      for (const kind of ['images-idx3', 'labels-idx1']) {
        const file = `${name}-${kind}-ubyte.gz`;
        const all = dd.data.readIdxSync(path.join(dd.data.FASHION_MNIST_SAMPLE_DIR, file));
        const per = all.shape.slice(1).reduce((a, b) => a * b, 1);
        dd.data.writeIdxSync(path.join(data, file), { data: all.data.slice(0, count * per), shape: [count, ...all.shape.slice(1)] });
      }
    }
    const folder = path.join(dir, 'bn');
    const plots = path.join(dir, 'plots');
    const { out, err } = await runTrain(['--model', 'bn', '--data', data, '--epochs', '2', '--quiet', '--seed', '1', '--save', folder, '--plots', plots]);
    const m = /test accuracy (\d+\.\d\d)% \(loss (\d\.\d{4})\)/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(65);
    expect(fs.readdirSync(plots).sort()).toEqual(['confusion-matrix.svg', 'filters.png', 'training-curves.svg']);
    expect(err).toMatch(/plots written: .*training-curves\.svg/);
    const model = await dd.loadModel(folder);
    expect([...model.modules()].filter((l) => l instanceof dd.nn.BatchNorm2d)).toHaveLength(4);
    const logs = await dd.evaluate(model, (await dd.data.fashionMnist(data)).test, { batchSize: 500, loss: 'crossEntropy' });
    expect((100 * logs.accuracy).toFixed(2)).toBe(m![1]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad options and commands are refused with a message', async () => {
  await expect(train(['--model', 'rnn'])).rejects.toThrow(/--model must be one of mlp, cnn, bn, alexnet, got rnn/);
  await expect(train(['--epochs', '0'])).rejects.toThrow(/--epochs must be a positive integer/);
  await expect(train(['--nope'])).rejects.toThrow(/nope/);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await main(['frobnicate'])).toBe(1);
  } finally {
    err.mockRestore();
  }
});
