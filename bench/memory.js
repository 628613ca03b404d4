#!/usr/bin/env node
// What the tensor-memory cache (dd.memory) buys as a user calls the API:
// each workload timed with the cache on and with it off
// (DENDRITE_CACHE_LIMIT=0), in child processes that alternate on, off, on,
// off…, medians over every timed call; and the resident memory over a long
// run of W6 training steps (bench/README.md), cache on and off.
//
//   npx tsc -p . && node bench/memory.js [--steps 20000] [--only zeros,conv]
//
// Fresh memory costs about 2.5 µs per 4 KiB page on a quiet machine (far more
// on a loaded one): an op whose output is fresh pays that before any
// arithmetic. "on" reuses the memory of dead tensors, "off" takes fresh
// memory for every output, as before the cache.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const { parseOptions, usageError } = require('./lib/args');
const { fashionMnistDir } = require('./lib/paths');

const WORKLOADS = ['zeros', 'ones', 'conv', 'dropout', 'matmul', 'rss'];

const USAGE = `Usage: node bench/memory.js [options]

  --rounds N        rounds, each a process with the cache on then one with it off (default 3)
  --reps N          timed calls per process, after 3 untimed (default 10)
  --threads N       compute threads (default 1, as a user's single call)
  --steps N         W6 training steps for the RSS curve (default 20000; 0 skips it)
  --samples N       RSS readings over those steps (default 20)
  --only LIST       some of: ${WORKLOADS.join(',')} (default all)
  --json FILE       also write the figures as JSON
  --child NAME      (internal) time one workload in this process, print the ms as JSON
  --rss-child       (internal) one RSS run: print the readings as JSON lines
  -h, --help        this text

Workloads: zeros = dd.zeros([16777216]) (64 MiB) in a loop, alone and written
once (.fill_(1): fresh zero pages cost nothing until written); ones = dd.ones;
conv = F.conv2d 1→32, 28×28, 3×3 pad 1, batch 64, forward under noGrad;
dropout = F.dropout(x, 0.5, true).sum().backward() on 16,777,216 values;
matmul = dd.matmul n×n for n = 256, 512, 1024 (GFLOP/s); rss = W6 training
steps (fashionMlp, Adam lr 1e-3, batch 128, cross-entropy) in a plain loop,
RSS read every steps/samples steps, cache on and off (DENDRITE_CACHE_LIMIT=0).
W6 trains on $DENDRITE_SHARED/data/fashion-mnist, or the bundled sample.
Needs dist/ (npx tsc -p .).
`;

const { values: args } = parseOptions(USAGE, {
  rounds: { type: 'string', default: '3' },
  reps: { type: 'string', default: '10' },
  threads: { type: 'string', default: '1' },
  steps: { type: 'string', default: '20000' },
  samples: { type: 'string', default: '20' },
  only: { type: 'string', default: WORKLOADS.join(',') },
  json: { type: 'string' },
  child: { type: 'string' },
  'rss-child': { type: 'boolean', default: false },
});

function positiveInt(name, min = 1) {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < min) usageError(USAGE, `--${name} must be an integer >= ${min}, got ${args[name]}`);
  return v;
}
const rounds = positiveInt('rounds');
const reps = positiveInt('reps');
const threads = positiveInt('threads');
const steps = positiveInt('steps', 0);
const samples = positiveInt('samples');
const only = args.only.split(',').filter((w) => w !== '');
for (const w of only) if (!WORKLOADS.includes(w)) usageError(USAGE, `--only: unknown workload "${w}" (known: ${WORKLOADS.join(', ')})`);

const repoRoot = path.join(__dirname, '..');
const dd = require(path.join(repoRoot, 'dist', 'index.js'));
const F = dd.nn.functional;
dd.setNumThreads(threads);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MB = 1024 * 1024;

// ---------------------------------------------------------------- W6 steps

/** One W6 training step after another, in a plain synchronous loop as a user writes it. */
function w6Trainer() {
  const dir = fashionMnistDir();
  const { train } = dir ? dd.data.fashionMnistSync(dir) : dd.data.fashionMnistSync();
  dd.manualSeed(0);
  const model = dd.models.fashionMlp();
  model.train();
  const optimizer = new dd.optim.Adam(model.parameters(), { lr: 1e-3 });
  const batch = 128;
  const perEpoch = Math.floor(train.length / batch);
  const xBuf = new Float32Array(batch * 784);
  const yBuf = new Int32Array(batch);
  let order = dd.randperm(train.length).int32Data;
  return {
    source: dir ? 'Fashion-MNIST' : 'the bundled sample',
    step(i) {
      const b = i % perEpoch;
      if (b === 0 && i > 0) order = dd.randperm(train.length).int32Data;
      train.gather(order, b * batch, (b + 1) * batch, xBuf, yBuf);
      const x = dd.tensor(xBuf, [batch, 1, 28, 28]);
      const y = dd.tensor(yBuf, { dtype: 'int32' });
      const loss = F.crossEntropy(model.call(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      return loss;
    },
  };
}

/** The child of the RSS run: `steps` W6 steps, one JSON line per reading. */
function rssChild() {
  const trainer = w6Trainer();
  const every = Math.max(1, Math.floor(steps / samples));
  const read = (step, t0) => {
    const m = process.memoryUsage();
    const s = dd.memory.stats();
    process.stdout.write(`${JSON.stringify({ step, rss: m.rss, faults: process.resourceUsage().minorPageFault, heap: m.heapUsed, arrayBuffers: m.arrayBuffers, cached: s.cachedBytes, watched: s.watchedBytes, hits: s.hits, misses: s.misses, ms: Number(process.hrtime.bigint() - t0) / 1e6, source: trainer.source })}\n`);
  };
  const t0 = process.hrtime.bigint();
  read(0, t0);
  for (let i = 1; i <= steps; i++) {
    trainer.step(i - 1);
    if (i % every === 0 || i === steps) read(i, t0);
  }
}

if (args['rss-child']) {
  rssChild();
  process.exit(0);
}

// ---------------------------------------------------------------- timed workloads

/** The timed workloads: name → [label, unit, setup returning the call, repetitions factor]. */
const TIMED = {
  zeros: ['dd.zeros([16777216]), 64 MiB', 'ms', () => () => dd.zeros([16777216])],
  // Fresh zeros are free until written (the OS maps zero pages lazily): written once, they cost what fresh memory costs.
  zerosWritten: ['dd.zeros([16777216]).fill_(1), 64 MiB', 'ms', () => () => dd.zeros([16777216]).fill_(1)],
  ones: ['dd.ones([16777216]), 64 MiB', 'ms', () => () => dd.ones([16777216])],
  conv: ['F.conv2d 1→32, 28×28, N=64, noGrad', 'ms', () => {
    const x = dd.rand([64, 1, 28, 28]), w = dd.randn([32, 1, 3, 3]), b = dd.randn([32]);
    return () => dd.noGrad(() => F.conv2d(x, w, b, { padding: 1 }));
  }, 4],
  dropout: ['F.dropout(x, 0.5, true).sum().backward(), 16.8M', 'ms', () => {
    const x = dd.randn([16777216], { requiresGrad: true });
    return () => {
      F.dropout(x, 0.5, true).sum().backward();
      x.grad = null;
    };
  }],
};
for (const n of [256, 512, 1024]) {
  TIMED[`matmul${n}`] = [`dd.matmul ${n}×${n}`, 'GFLOP/s', () => {
    const a = dd.randn([n, n]), c = dd.randn([n, n]);
    return () => dd.matmul(a, c);
  }, n < 1024 ? 4 : 1, (ms) => (2 * n * n * n) / ms / 1e6];
}

/** The child of a timed run: 3 untimed calls, then the timed ones, printed as a JSON array of ms. */
function timedChild(name) {
  const [, , setup, factor = 1] = TIMED[name];
  const fn = setup();
  for (let i = 0; i < 3; i++) fn();
  const ms = [];
  for (let i = 0; i < reps * factor; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  process.stdout.write(`${JSON.stringify({ ms, stats: dd.memory.stats() })}\n`);
}

if (args.child !== undefined) {
  if (!(args.child in TIMED)) usageError(USAGE, `--child: unknown workload "${args.child}"`);
  timedChild(args.child);
  process.exit(0);
}

function runChild(flags, cacheOn) {
  const env = { ...process.env };
  if (!cacheOn) env.DENDRITE_CACHE_LIMIT = '0';
  const r = spawnSync(process.execPath, [__filename, ...flags, '--threads', String(threads), '--reps', String(reps)], { env, encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`a child process failed (status ${r.status}): ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const rows = [];
const timedNames = Object.keys(TIMED).filter((name) => only.includes(name.replace(/\d+$|Written$/, '')));
for (const name of timedNames) {
  const [label, unit, , , rate] = TIMED[name];
  const ms = { on: [], off: [] };
  let stats = null;
  for (let r = 0; r < rounds; r++) {
    for (const mode of ['on', 'off']) {
      const [out] = runChild(['--child', name], mode === 'on');
      ms[mode].push(...out.ms);
      if (mode === 'on') stats = out.stats;
    }
  }
  const on = median(ms.on), off = median(ms.off);
  const value = rate ?? ((x) => x);
  rows.push({ name: label, unit, on: value(on), off: value(off), gain: off / on, stats });
}

const info = dd.backendInfo();
console.log(`dendrite ${info.isa}, ${threads} thread(s); cache limit ${(dd.memory.cacheLimit() / MB).toFixed(0)} MiB; ${rounds} rounds of a process per mode, ${reps} timed calls each (conv, matmul < 1024: ×4), medians`);
if (rows.length > 0) {
  console.log('');
  console.log('| workload | unit | cache on | cache off | time off / on | cache on: hits / misses, collections asked (ms) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const s = r.stats;
    console.log(`| ${r.name} | ${r.unit} | ${r.on.toFixed(2)} | ${r.off.toFixed(2)} | ${r.gain.toFixed(2)}× | ${s.hits} / ${s.misses}, ${s.collections} (${s.collectionMs.toFixed(0)}) |`);
  }
}

// ---------------------------------------------------------------- RSS over W6 steps

let rss = null;
if (only.includes('rss') && steps > 0) {
  const child = (cacheOn) => runChild(['--rss-child', '--steps', String(steps), '--samples', String(samples)], cacheOn);
  const on = child(true);
  const off = child(false);
  rss = { on, off };
  const warm = Math.floor(on.length / 10);
  const flat = (rs) => {
    const after = rs.slice(Math.max(1, warm)).map((r) => r.rss);
    const mid = median(after);
    return { medianMiB: mid / MB, lowPct: (Math.min(...after) / mid - 1) * 100, highPct: (Math.max(...after) / mid - 1) * 100 };
  };
  console.log(`\nRSS over ${steps} W6 training steps (${on[0].source}, batch 128, Adam), one child process per mode:\n`);
  console.log('| step | RSS on (MiB) | RSS off (MiB) | cache held on (MiB) | s on | s off |');
  console.log('|---|---|---|---|---|---|');
  for (let i = 0; i < on.length; i++) {
    const a = on[i], b = off[i];
    console.log(`| ${a.step} | ${(a.rss / MB).toFixed(1)} | ${(b.rss / MB).toFixed(1)} | ${((a.cached + a.watched) / MB).toFixed(1)} | ${(a.ms / 1000).toFixed(1)} | ${(b.ms / 1000).toFixed(1)} |`);
  }
  const fOn = flat(on), fOff = flat(off);
  const fmt = (f) => `median ${f.medianMiB.toFixed(1)} MiB, range ${f.lowPct.toFixed(1)}% to +${f.highPct.toFixed(1)}%`;
  console.log(`\nafter the first tenth: on ${fmt(fOn)}; off ${fmt(fOff)}`);
  const last = on[on.length - 1];
  const faultsPerStep = (rs) => {
    const a = rs[Math.max(1, warm)], b = rs[rs.length - 1];
    return ((b.faults - a.faults) / Math.max(1, b.step - a.step)).toFixed(1);
  };
  console.log(`page faults per step after the first tenth: on ${faultsPerStep(on)}, off ${faultsPerStep(off)}`);
  console.log(`steps per second: on ${(steps / (last.ms / 1000)).toFixed(0)}, off ${(steps / (off[off.length - 1].ms / 1000)).toFixed(0)}; cache on: ${last.hits} hits, ${last.misses} misses`);
}

if (args.json) fs.writeFileSync(args.json, `${JSON.stringify({ threads, rounds, reps, cacheLimit: dd.memory.cacheLimit(), rows, rss }, null, 2)}\n`);
