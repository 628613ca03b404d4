/**
 * A 1,000-step training loop leaves the JS heap and the process RSS flat
 * after warm-up (1,000 steps, while V8's heap sizing, its compiler tiers
 * and malloc's arenas settle). Run in a child process started with
 * --expose-gc (the TypeScript sources are transpiled on require), so the
 * test runner does not disturb the measurements.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

const script = `
const fs = require('fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
const dd = require(process.argv[1] + '/ts/index.ts');
const { native } = require(process.argv[1] + '/ts/native.ts');
const mode = process.argv[2];
const F = dd.nn.functional;

dd.manualSeed(1);
const w1 = dd.randn([128, 196]).mul(0.05).requiresGrad_(), b1 = dd.zeros([128], { requiresGrad: true });
const w2 = dd.randn([10, 128]).mul(0.05).requiresGrad_(), b2 = dd.zeros([10], { requiresGrad: true });
const params = [w1, b1, w2, b2];
const batches = Array.from({ length: 4 }, () => [dd.randn([64, 196]), dd.randint(0, 10, [64])]);

function step(i) {
  const [x, y] = batches[i % batches.length];
  const loss = F.crossEntropy(F.linear(F.dropout(F.linear(x, w1, b1).relu(), 0.2), w2, b2), y);
  for (const p of params) if (p.grad) p.grad.zero_();
  loss.backward(mode === 'free' ? { freeActivations: true } : undefined);
  for (const p of params) native().sgdUpdate(p.data, p.grad.data, null, 0.01, 0, 0, 0, false, true);
  return loss.item();
}

function measure() {
  for (let i = 0; i < 3; i++) global.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, arrayBuffers: m.arrayBuffers, fresh: dd.memoryStats().freshBytes };
}

for (let i = 0; i < 1000; i++) step(i);
const before = measure();
let last = 0;
for (let i = 0; i < 1000; i++) last = step(i);
const after = measure();
console.log(JSON.stringify({ before, after, last }));
`;

function run(mode: string) {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script, root, mode], { cwd: root, encoding: 'utf8', timeout: 240000 });
  if (r.status !== 0) throw new Error(`child failed (${r.status} ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const MB = 1024 * 1024;

test.each(['default', 'free'])('1,000 steps (%s) keep heap and RSS flat', (mode) => {
  const { before, after, last } = run(mode);
  const mb = (k: string) => ((after[k] - before[k]) / MB).toFixed(2);
  console.log(`${mode}: heap ${mb('heap')} MB, rss ${mb('rss')} MB, arrayBuffers ${mb('arrayBuffers')} MB, fresh pool memory ${mb('fresh')} MB over 1,000 steps`);
  expect(Number.isFinite(last)).toBe(true);
  expect(after.heap - before.heap).toBeLessThan(4 * MB);
  expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(4 * MB);
  expect(after.rss - before.rss).toBeLessThan(8 * MB);
  if (mode === 'free') {
    // With activations recycled too, the steady-state loop takes no fresh
    // memory but the 4-byte loss each step (the loss stays the caller's).
    expect(after.fresh - before.fresh).toBe(1000 * 4);
  }
});
