import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_SAMPLE_DIR, fashionMnist, fashionMnistSync, readIdxSync, writeIdxSync } from '../../ts/data';

const repoRoot = path.join(__dirname, '..', '..');
const shared = process.env.DENDRITE_SHARED ?? path.join(repoRoot, '..', 'shared');
const fullDir = path.join(shared, 'data', 'fashion-mnist');
const haveFull = fs.existsSync(path.join(fullDir, 'train-images-idx3-ubyte.gz'));

/** Byte equality of two typed arrays (jest's toEqual is far too slow for millions of elements). */
function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function checkSplit(ds: ReturnType<typeof fashionMnistSync>['train'], n: number) {
  expect(ds.length).toBe(n);
  expect(ds.x.shape).toEqual([n, 1, 28, 28]);
  expect(ds.y.shape).toEqual([n]);
  expect(ds.x.data).toBeInstanceOf(Float32Array);
  expect(ds.y.data).toBeInstanceOf(Int32Array);
  let min = Infinity, max = -Infinity;
  const x = ds.x.data;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  expect([min, max]).toEqual([0, 1]);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < ds.y.data.length; i++) counts[ds.y.data[i]]++;
  expect(counts.every((c) => c > 0)).toBe(true);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
}

test('the bundled sample: 10,000 training and 2,000 test images in [0, 1], labels 0-9', async () => {
  const data = await fashionMnist();
  checkSplit(data.train, 10000);
  checkSplit(data.test, 2000);
  expect(data.classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  expect(FASHION_MNIST_CLASSES).toBe(data.classes);
  // Pixels are the stored bytes / 255, labels the stored bytes.
  const raw = readIdxSync(path.join(FASHION_MNIST_SAMPLE_DIR, 'train-images-idx3-ubyte.gz'));
  for (let i = 0; i < raw.data.length; i += 997) expect(data.train.x.data[i]).toBe(Math.fround(raw.data[i] / 255));
  const sync = fashionMnistSync();
  expect(sameBytes(sync.test.y.data, data.test.y.data)).toBe(true);
  expect(sameBytes(sync.train.x.data, data.train.x.data)).toBe(true);
});

test('the bundled sample is a few MB with its licence and README', () => {
  const files = fs.readdirSync(FASHION_MNIST_SAMPLE_DIR).sort();
  expect(files).toEqual(['LICENSE', 'README.md', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(FASHION_MNIST_SAMPLE_DIR, f)).size, 0);
  expect(bytes).toBeLessThan(6 * 1024 * 1024);
  expect(fs.readFileSync(path.join(FASHION_MNIST_SAMPLE_DIR, 'LICENSE'), 'utf8')).toMatch(/Zalando SE[\s\S]*The MIT License/);
});

test('raw (uncompressed) files load too, and a missing file says what to do', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-fmnist-'));
  try {
    for (const base of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      const a = readIdxSync(path.join(FASHION_MNIST_SAMPLE_DIR, `${base}.gz`));
      const per = a.shape.slice(1).reduce((x, y) => x * y, 1);
      writeIdxSync(path.join(dir, base), { data: a.data.slice(0, 30 * per), shape: [30, ...a.shape.slice(1)] });
    }
    const small = await fashionMnist(dir);
    expect(small.train.length).toBe(30);
    expect(small.test.x.shape).toEqual([30, 1, 28, 28]);
    fs.unlinkSync(path.join(dir, 't10k-labels-idx1-ubyte'));
    await expect(fashionMnist(dir)).rejects.toThrow(/has neither t10k-labels-idx1-ubyte.gz nor t10k-labels-idx1-ubyte/);
    // Mismatched counts and wrong shapes are named.
    writeIdxSync(path.join(dir, 't10k-labels-idx1-ubyte'), { data: new Uint8Array(29), shape: [29] });
    expect(() => fashionMnistSync(dir)).toThrow(/has 30 images but .*t10k-labels-idx1-ubyte has 29 labels/);
    writeIdxSync(path.join(dir, 't10k-labels-idx1-ubyte'), { data: new Uint8Array(30).fill(10), shape: [30] });
    expect(() => fashionMnistSync(dir)).toThrow(/label 0 is 10, outside the 10 classes/);
    writeIdxSync(path.join(dir, 't10k-images-idx3-ubyte'), { data: new Uint8Array(30 * 27 * 28), shape: [30, 27, 28] });
    expect(() => fashionMnistSync(dir)).toThrow(/should hold uint8 images \[N, 28, 28\], holds Uint8Array \[30, 27, 28\]/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const full = haveFull ? test : test.skip;
if (!haveFull) {
  console.log(`full Fashion-MNIST test skipped: ${fullDir} not found (set DENDRITE_SHARED to the folder holding data/fashion-mnist)`);
}

full('the full dataset: 60,000 + 10,000, and the sample is its first records', async () => {
  const data = await fashionMnist(fullDir);
  checkSplit(data.train, 60000);
  checkSplit(data.test, 10000);
  const sample = fashionMnistSync();
  expect(sameBytes(data.train.x.data.subarray(0, 10000 * 784), sample.train.x.data)).toBe(true);
  expect(sameBytes(data.train.y.data.subarray(0, 10000), sample.train.y.data)).toBe(true);
  expect(sameBytes(data.test.x.data.subarray(0, 2000 * 784), sample.test.x.data)).toBe(true);
  expect(sameBytes(data.test.y.data.subarray(0, 2000), sample.test.y.data)).toBe(true);
});
