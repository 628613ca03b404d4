#!/usr/bin/env node
/**
 * The best bundled Fashion-MNIST model (dd.models.fashionBnCnn trained with
 * dd.models.fashionBnRecipe: batch normalisation, random 2-pixel shifts and
 * horizontal flips, Adam with a cosine schedule) trained on the full data set, one run per seed: test
 * accuracy and wall time, beside its PyTorch twin bench/reference/best_model_torch.py run in
 * the same invocation (the same network, augmentation, optimizer, schedule
 * and batch size; OMP_WAIT_POLICY=PASSIVE, PyTorch's best configuration here).
 *
 *   node bench/best-model.js                          seeds 0,1,2, 15 epochs, 2 threads, PyTorch seed 0 only
 *   node bench/best-model.js --seeds 0 --epochs 5     a shorter run
 *   node bench/best-model.js --torch-seeds 0,1,2      the twin on every seed too (slow: PyTorch is ~3× slower here)
 *   node bench/best-model.js --no-reference           skip PyTorch
 *
 * Run `npm run build:ts` first. Data: --data DIR, or $DENDRITE_SHARED/data/fashion-mnist (default ../shared).
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { parseArgs } = require('util');
const { fashionMnistDir, fashionMnistMissing } = require('./lib/paths');

const HELP = require('fs').readFileSync(__filename, 'utf8').split('\n').slice(2, 17).map((l) => l.replace(/^ \*\/?/, '')).join('\n');
let values;
try {
  ({ values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '0,1,2' },
      'torch-seeds': { type: 'string', default: '0' },
      epochs: { type: 'string', default: '15' },
      threads: { type: 'string', default: '2' },
      'batch-size': { type: 'string', default: '128' },
      lr: { type: 'string', default: '0.002' },
      'no-reference': { type: 'boolean', default: false },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const repo = path.join(__dirname, '..');
const dd = require(path.join(repo, 'dist', 'index.js'));
const dataDir = fashionMnistDir(values.data);
if (!dataDir) {
  console.log(`${fashionMnistMissing(values.data)}; skipping.`);
  process.exit(0);
}
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const epochs = Number(values.epochs);
const threads = Number(values.threads);
const batchSize = Number(values['batch-size']);
const lr = Number(values.lr);

/** One seeded run of the recipe; per-epoch test accuracy is logged as it goes. */
async function ours(data, seed) {
  dd.setNumThreads(threads);
  dd.manualSeed(seed);
  const model = dd.models.fashionBnCnn();
  const recipe = dd.models.fashionBnRecipe(model, { epochs, lr, seed: 1000 + seed });
  const t0 = performance.now();
  const history = await dd.fit(model, data.train, {
    ...recipe, epochs, batchSize, loss: 'crossEntropy', metrics: ['accuracy'], seed, verbose: 0,
    validationData: data.test, validationBatchSize: 1000,
    callbacks: [
      ...recipe.callbacks,
      { onEpochEnd: (e, logs) => console.log(`  seed ${seed} epoch ${e + 1}: loss ${logs.loss.toFixed(4)}, test acc ${pct(logs.val_accuracy)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`) },
    ],
  });
  const seconds = (performance.now() - t0) / 1000;
  const { accuracy } = await dd.evaluate(model, data.test, { batchSize: 1000 });
  return { accuracy, seconds, curve: history.history.val_accuracy };
}

function torch(seed) {
  const script = path.join(__dirname, 'reference', 'best_model_torch.py');
  const r = spawnSync(python, [script, dataDir, String(epochs), String(threads), String(seed), String(batchSize), String(lr)], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }, encoding: 'utf8', maxBuffer: 1 << 22,
  });
  if (r.status !== 0) return { error: `PyTorch unavailable (${(r.stderr || r.error || '').toString().trim().split('\n').pop()})` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { accuracy: out.test_acc, seconds: out.seconds };
}

function pct(x) {
  return `${(100 * x).toFixed(2)}%`;
}

function summary(xs) {
  return `${pct(xs.reduce((a, b) => a + b, 0) / xs.length)} (${pct(Math.min(...xs))}–${pct(Math.max(...xs))})`;
}

async function main() {
  const info = dd.backendInfo();
  console.log(`dendrite ${info.isa}, ${threads} threads, ${epochs} epochs, batch ${batchSize}, Adam lr ${lr} with cosine decay`);
  const data = await dd.data.fashionMnist(dataDir);
  const rows = [];
  for (const seed of values.seeds.split(',').map(Number)) {
    const a = await ours(data, seed);
    rows.push({ side: 'dendrite', seed, ...a });
    console.log(`dendrite seed ${seed}: test acc ${pct(a.accuracy)}, ${a.seconds.toFixed(0)} s (${(a.seconds / epochs).toFixed(1)} s/epoch)`);
  }
  if (!values['no-reference']) {
    for (const seed of values['torch-seeds'].split(',').filter((s) => s !== '').map(Number)) {
      const b = torch(seed);
      if (b.error) {
        console.log(b.error);
        break;
      }
      rows.push({ side: 'PyTorch', seed, ...b });
      console.log(`PyTorch seed ${seed}: test acc ${pct(b.accuracy)}, ${b.seconds.toFixed(0)} s (${(b.seconds / epochs).toFixed(1)} s/epoch)`);
    }
  }
  console.log('\n| side | seed | test accuracy | wall time (s) | s/epoch |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.side} | ${r.seed} | ${pct(r.accuracy)} | ${r.seconds.toFixed(0)} | ${(r.seconds / epochs).toFixed(1)} |`);
  for (const side of ['dendrite', 'PyTorch']) {
    const accs = rows.filter((r) => r.side === side).map((r) => r.accuracy);
    if (accs.length > 0) console.log(`${side}: mean test accuracy over ${accs.length} seed(s) ${summary(accs)}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
