#!/usr/bin/env node
/**
 * W6 (MLP) and W7 (CNN) training on the full Fashion-MNIST: seconds per epoch
 * and test accuracy, beside PyTorch's train_torch.py run in the same
 * invocation (OMP_WAIT_POLICY=PASSIVE, its best configuration on this machine).
 *
 *   node bench/train.js                          both workloads, 1 and 2 threads, 5 (W6) / 3 (W7) epochs
 *   node bench/train.js --workload w7 --threads 2
 *   node bench/train.js --epochs 1 --limit 200   quick check: 200 batches per epoch, time per epoch extrapolated
 *   node bench/train.js --no-reference           skip PyTorch
 *   node bench/train.js --workload w7 --threads 2 --seeds 0,1,2,3,4
 *                                                one run per seed on both sides (PyTorch's
 *                                                seed is passed to train_torch.py), then the mean
 *                                                and range of the accuracies
 *
 * Run `npx tsc -p .` first. Data: --data DIR, or $DENDRITE_SHARED/data/fashion-mnist (default ../shared).
 */
'use strict';
const path = require('path');
const fs = require('fs');
const { spawnSync } = require('child_process');
const { parseOptions } = require('./lib/args');
const { referenceScript, fashionMnistDir, fashionMnistMissing } = require('./lib/paths');

const USAGE = `Usage: node bench/train.js [options]

  --workload LIST   w6 (MLP), w7 (CNN) or both (default w6,w7)
  --threads LIST    thread counts, each run by both sides (default 1,2)
  --epochs N        epochs (default 5 for W6, 3 for W7)
  --limit N         batches per epoch, time per epoch extrapolated (default: all)
  --seed N          seed of both sides (default 0)
  --seeds LIST      one run per seed on both sides, then the accuracies' mean and range
  --data DIR        the four Fashion-MNIST gzip files (default $DENDRITE_SHARED/data/fashion-mnist, DENDRITE_SHARED default ../shared)
  --no-reference    skip PyTorch
  -h, --help        this text

Needs dist/ (npx tsc -p .) and the full Fashion-MNIST. PyTorch: bench/reference/train_torch.py.
`;
const { values } = parseOptions(USAGE, {
  workload: { type: 'string', default: 'w6,w7' },
  threads: { type: 'string', default: '1,2' },
  epochs: { type: 'string' },
  limit: { type: 'string' },
  'no-reference': { type: 'boolean', default: false },
  data: { type: 'string' },
  seed: { type: 'string', default: '0' },
  seeds: { type: 'string' },
});

const repo = path.join(__dirname, '..');
const dd = require(path.join(repo, 'dist', 'index.js'));
const { fashionMlp, fashionCnn, DEFAULT_BATCH } = require(path.join(repo, 'dist', 'cli.js'));

const dataDir = fashionMnistDir(values.data);
if (!dataDir) {
  console.log(`${fashionMnistMissing(values.data)}; skipping the training benchmark.`);
  process.exit(0);
}
const reference = referenceScript('train_torch.py');
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const WORKLOADS = {
  w6: { kind: 'mlp', make: fashionMlp, epochs: 5, target: 0.86 },
  w7: { kind: 'cnn', make: fashionCnn, epochs: 3, target: 0.9 },
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Our run: seconds per epoch (extrapolated to the full epoch when --limit is set) and test accuracy. */
async function ours(w, threads, epochs, limit, data, seed) {
  dd.setNumThreads(threads);
  dd.manualSeed(seed);
  const model = w.make();
  const optimizer = new dd.optim.Adam(model.parameters(), { lr: 1e-3 });
  const batchSize = DEFAULT_BATCH[w.kind];
  const full = Math.ceil(data.train.length / batchSize);
  const epochSeconds = [];
  let t0 = 0;
  let batches = 0;
  const timer = {
    onEpochBegin() {
      batches = 0;
      t0 = performance.now();
    },
    onBatchEnd(_b, _logs, ctx) {
      batches++;
      if (limit && batches >= limit) ctx.stopTraining = true;
    },
    onEpochEnd() {
      epochSeconds.push(((performance.now() - t0) / 1000) * (full / batches));
    },
  };
  // One fit per epoch, so that --limit (which stops fit) cuts batches, not epochs.
  for (let e = 0; e < epochs; e++) {
    await dd.fit(model, data.train, {
      epochs: e + 1, initialEpoch: e, batchSize, optimizer, loss: 'crossEntropy', seed: seed + e, verbose: 0, callbacks: [timer],
    });
  }
  const { accuracy } = await dd.evaluate(model, data.test, { batchSize: 1000 });
  return { epochSeconds, accuracy };
}

function torch(w, threads, epochs, seed) {
  if (values['no-reference']) return { error: 'skipped' };
  const r = spawnSync(python, [reference, dataDir, w.kind, String(epochs), String(threads), String(seed)], {
    env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) return { error: `reference unavailable (${(r.stderr || r.error || '').toString().trim().split('\n').pop()})` };
  try {
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    return { epochSeconds: out.epoch_s, accuracy: out.test_acc };
  } catch {
    return { error: `reference unavailable (unreadable output: ${r.stdout.slice(0, 200)})` };
  }
}

async function main() {
  const info = dd.backendInfo();
  const limit = values.limit === undefined ? 0 : Number(values.limit);
  const seeds = (values.seeds ?? values.seed).split(',').map(Number);
  console.log(`dendrite ${info.isa}, ${info.hardwareThreads} hardware threads; PyTorch with OMP_WAIT_POLICY=PASSIVE`);
  if (limit) console.log(`--limit ${limit}: our epochs stop after ${limit} batches, time per epoch extrapolated; accuracy is after those batches`);
  const t0 = performance.now();
  const data = await dd.data.fashionMnist(dataDir);
  console.log(`data loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const rows = [];
  for (const id of values.workload.split(',')) {
    const w = WORKLOADS[id.trim().toLowerCase()];
    if (!w) throw new RangeError(`unknown workload ${id}; use w6, w7`);
    const epochs = values.epochs === undefined ? w.epochs : Number(values.epochs);
    for (const threads of values.threads.split(',').map(Number)) {
      for (const seed of seeds) {
        const a = await ours(w, threads, epochs, limit, data, seed);
        const b = torch(w, threads, limit ? 1 : epochs, seed);
        const row = {
          workload: id.toUpperCase(), threads, epochs, seed,
          ours_s: median(a.epochSeconds), ours_acc: a.accuracy,
          torch_s: b.error ? NaN : median(b.epochSeconds), torch_acc: b.error ? NaN : b.accuracy,
          note: b.error || '',
        };
        row.ratio = row.torch_s / row.ours_s;
        rows.push(row);
        console.log(
          `${row.workload} ${threads}T seed ${seed}: dendrite ${row.ours_s.toFixed(2)} s/epoch (epochs ${a.epochSeconds.map((s) => s.toFixed(2)).join(', ')}), ` +
            `test acc ${pct2(a.accuracy)}` +
            (b.error ? `; PyTorch: ${b.error}` : `; PyTorch ${row.torch_s.toFixed(2)} s/epoch, test acc ${pct2(b.accuracy)}`),
        );
      }
    }
  }
  const pct = (x) => (Number.isNaN(x) ? 'n/a' : pct2(x));
  const num = (x, d) => (Number.isNaN(x) ? 'n/a' : x.toFixed(d));
  console.log('\n| workload | threads | epochs | seed | dendrite s/epoch | PyTorch s/epoch | PyTorch/dendrite | dendrite test acc | PyTorch test acc |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.workload} | ${r.threads} | ${r.epochs} | ${r.seed} | ${num(r.ours_s, 2)} | ${num(r.torch_s, 2)} | ${num(r.ratio, 2)} | ${pct(r.ours_acc)} | ${pct(r.torch_acc)} |`);
  }
  if (seeds.length > 1) {
    console.log('\nAccuracy over the seeds (mean, min–max):');
    const groups = new Map();
    for (const r of rows) {
      const key = `${r.workload} ${r.threads}T`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(r);
    }
    const summary = (xs) => {
      const ok = xs.filter((x) => !Number.isNaN(x));
      if (ok.length === 0) return 'n/a';
      return `${pct2(ok.reduce((a, b) => a + b, 0) / ok.length)} (${pct2(Math.min(...ok))}–${pct2(Math.max(...ok))})`;
    };
    for (const [key, rs] of groups) {
      console.log(`  ${key}: dendrite ${summary(rs.map((r) => r.ours_acc))}; PyTorch ${summary(rs.map((r) => r.torch_acc))}`);
    }
  }
  if (!limit) {
    for (const r of rows) {
      const w = WORKLOADS[r.workload.toLowerCase()];
      if (r.epochs === w.epochs && r.ours_acc < w.target) console.log(`NOTE: ${r.workload} ${r.threads}T seed ${r.seed} accuracy ${pct2(r.ours_acc)} is below the target ${pct2(w.target)}`);
    }
  }
}

function pct2(x) {
  return `${(100 * x).toFixed(2)}%`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
