#!/usr/bin/env node
/**
 * Training speed in a worker against training on the main thread: the W7 CNN
 * (batch 64, Adam) for one epoch, through `dd.fit` here and `dd.fitInWorker`
 * with the same number of kernel threads, alternating, several times each,
 * with nothing else running. Seconds per epoch are from the epoch's first
 * batch to its end (the worker's start-up, about 0.1 s, is left out and
 * printed apart); the figure is the median, and worker/main is their ratio.
 *
 *   node bench/worker-speed.js                       threads 1 and 2, 3 runs each, 20,000 images
 *   node bench/worker-speed.js --samples 60000 --runs 5 --threads 2
 *   node bench/worker-speed.js --data DIR            the full Fashion-MNIST (default: ../shared, else the bundled sample)
 *
 * Run `npm run build:ts` first.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');

const repo = path.join(__dirname, '..');
const dd = require(path.join(repo, 'dist', 'index.js'));
const { fashionCnn } = require(path.join(repo, 'dist', 'cli.js'));

const USAGE = `Usage: node bench/worker-speed.js [options]

  --threads LIST   kernel thread counts to compare (default 1,2)
  --runs N         runs of each mode per thread count (default 3)
  --samples N      training images used (default 20000)
  --data DIR       the four Fashion-MNIST files (default ../shared/data/fashion-mnist if present, else the bundled sample)
  -h, --help       this text
`;

function options() {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string', default: '1,2' }, runs: { type: 'string', default: '3' }, samples: { type: 'string', default: '20000' },
      data: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const ints = (text, name) => text.split(',').map((t) => {
    if (!/^\d+$/.test(t.trim()) || Number(t) < 1) throw new RangeError(`--${name} must be positive integers, got ${text}`);
    return Number(t);
  });
  return { help: values.help, threads: ints(values.threads, 'threads'), runs: ints(values.runs, 'runs')[0], samples: ints(values.samples, 'samples')[0], data: values.data };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function onMain(data, threads) {
  dd.setNumThreads(threads);
  dd.manualSeed(0);
  const model = fashionCnn();
  let start = 0, seconds = 0;
  const timer = { onBatchBegin: () => void (start ||= performance.now()), onEpochEnd: () => void (seconds = (performance.now() - start) / 1000) };
  await dd.fit(model, data, { epochs: 1, batchSize: 64, loss: 'crossEntropy', optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-3 }), verbose: 0, seed: 1, callbacks: [timer] });
  return { seconds };
}

async function inWorker(data, threads) {
  dd.manualSeed(0);
  const model = fashionCnn();
  const called = performance.now();
  let start = 0, seconds = 0, startup = 0;
  const job = dd.fitInWorker(model, data, { epochs: 1, batchSize: 64, loss: 'crossEntropy', optimizer: new dd.optim.Adam(model.parameters(), { lr: 1e-3 }), seed: 1, threads });
  // The first batch event arrives after one batch: take the epoch's start as the 'started' report, just before it.
  job.on('started', () => void (start = performance.now(), startup = (start - called) / 1000));
  job.on('epoch', () => void (seconds = (performance.now() - start) / 1000));
  await job;
  return { seconds, startup };
}

async function main() {
  let o;
  try {
    o = options();
  } catch (e) {
    process.stderr.write(`worker-speed.js: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (o.help) return void process.stdout.write(USAGE);
  const full = path.join(repo, '..', 'shared', 'data', 'fashion-mnist');
  const dir = o.data ?? (fs.existsSync(path.join(full, 'train-images-idx3-ubyte.gz')) ? full : undefined);
  const { train } = await dd.data.fashionMnist(dir);
  const n = Math.min(o.samples, train.x.shape[0]);
  const x = dd.share({ data: train.x.data.subarray(0, n * 784), shape: [n, 1, 28, 28] });
  const y = dd.share({ data: train.y.data.subarray(0, n), shape: [n] });
  const info = dd.backendInfo();
  console.log(`W7 CNN, ${n} images (${dir ? 'full Fashion-MNIST' : 'bundled sample'}), batch 64, 1 epoch per run; ${os.cpus()[0].model}, ${os.cpus().length} cores, ${info.isa}, Node ${process.version}`);
  console.log('| threads | main s/epoch | worker s/epoch | worker start-up s | main/worker speed |');
  console.log('|---|---|---|---|---|');
  for (const threads of o.threads) {
    const main = [], worker = [], startup = [];
    for (let r = 0; r < o.runs; r++) {
      main.push((await onMain({ x, y }, threads)).seconds);
      const w = await inWorker({ x, y }, threads);
      worker.push(w.seconds);
      startup.push(w.startup);
    }
    const m = median(main), w = median(worker);
    console.log(`| ${threads} | ${m.toFixed(2)} | ${w.toFixed(2)} | ${median(startup).toFixed(2)} | ${(m / w).toFixed(2)} |`);
  }
  dd.setNumThreads(info.hardwareThreads);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
