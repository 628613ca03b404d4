/** The addon is context-aware: it loads and computes in several worker threads at once. */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { addonCandidates, native } from '../ts/native';

const workerCode = `
const { parentPort, workerData } = require('worker_threads');
const addon = require(workerData.file);
addon.setNumThreads(2);
const n = 64, a = new Float32Array(n * n), b = new Float32Array(n * n), c = new Float32Array(n * n);
for (let i = 0; i < n * n; i++) { a[i] = (i % 7) - 3; b[i] = (i % 5) - 2; }
let sum = 0;
for (let rep = 0; rep < 20; rep++) {
  addon.gemm(false, false, n, n, n, 1, a, n, 0, b, n, 0, 0, c, n, 0, 1);
  sum += c[rep];
}
parentPort.postMessage({ sum, isa: addon.backendInfo().isa });
`;

function runWorker(file: string): Promise<{ sum: number; isa: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerCode, { eval: true, workerData: { file } });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

test('addon loads and computes in two workers and the main thread at once', async () => {
  const file = addonCandidates()[0];
  const n = 64, a = new Float32Array(n * n), b = new Float32Array(n * n), c = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) { a[i] = (i % 7) - 3; b[i] = (i % 5) - 2; }
  const pending = [runWorker(file), runWorker(file)];
  let sum = 0;
  for (let rep = 0; rep < 20; rep++) {
    native().gemm(false, false, n, n, n, 1, a, n, 0, b, n, 0, 0, c, n, 0, 1);
    sum += c[rep];
  }
  const results = await Promise.all(pending);
  for (const r of results) expect(r.sum).toBe(sum);
  // Workers that ended must not disturb the main thread's instance.
  native().gemm(false, false, n, n, n, 1, a, n, 0, b, n, 0, 0, c, n, 0, 1);
  expect(c[0]).toBeCloseTo(sum / 20 - 0, -10);
});

test('the addon never hands V8 external buffers (Electron\'s memory cage forbids them): memory always comes from JS', () => {
  // Node-API calls that wrap native memory in a JS buffer, and node-addon-api's wrappers over them.
  const external = /napi_create_external_(arraybuffer|buffer)|ArrayBuffer::New\s*\([^;]*,[^;]*,|Buffer<[^>]*>::New\s*\([^;]*,[^;]*,|Buffer<[^>]*>::NewOrCopy/;
  const dir = path.join(__dirname, '..', 'native', 'addon');
  const files = fs.readdirSync(dir).filter((f) => /\.(cc|h)$/.test(f));
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    expect({ file: f, external: external.test(text) }).toEqual({ file: f, external: false });
  }
  expect(external.test('Napi::ArrayBuffer::New(env, data, length, finalize)')).toBe(true);
  expect(external.test('Napi::ArrayBuffer::New(env, length)')).toBe(false);
});
