#!/usr/bin/env node
/**
 * A depthwise 3x3 layer (MobileNet-style): 64 channels, 56x56, batch 32,
 * through the public API, F.conv2d(x, w, b, { groups: 64, padding: 1 }) with
 * autograd recording, and forward + .sum().backward(); median milliseconds
 * per call beside PyTorch (bench/reference/depthwise_torch.py, same shapes, same thread
 * count) measured in the same run.
 *
 *   npx tsc -p . && node bench/depthwise.js [--threads 1,2] [--reps 15] [--no-reference] [--json FILE]
 *
 * PyTorch runs twice per thread count, with its defaults and with the "best
 * configuration" of ../shared/bench/reference/kernels_torch.py (oneDNN off,
 * passive OpenMP waits, glibc keeping freed memory), and the faster figure of
 * each row is the one compared against.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { parseArgs } = require('util');
const { usageError } = require('./lib/args');

const USAGE = `Usage: node bench/depthwise.js [options]

  --threads LIST    thread counts, each run by both sides (default 1,2)
  --reps N          timed runs per figure, after 2 warm-ups (default 15)
  --no-reference    skip PyTorch
  --json FILE       also write the figures as JSON
  -h, --help        this text

Needs dist/ (npx tsc -p .). PyTorch: /usr/bin/python3 with torch (bench/reference/depthwise_torch.py).
`;

function options() {
  const { values } = parseArgs({
    options: {
      threads: { type: 'string', default: '1,2' }, reps: { type: 'string', default: '15' },
      'no-reference': { type: 'boolean', default: false }, json: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const ints = (text, name) => text.split(',').map((t) => {
    if (!/^\d+$/.test(t.trim()) || Number(t) < 1) throw new RangeError(`--${name} must be positive integers, got ${text}`);
    return Number(t);
  });
  return { help: values.help, threads: ints(values.threads, 'threads'), reps: ints(values.reps, 'reps')[0], reference: !values['no-reference'], json: values.json };
}

const N = 32, C = 64, H = 56;
const bestEnv = { TORCH_NO_MKLDNN: '1', OMP_WAIT_POLICY: 'PASSIVE', GLIBC_TUNABLES: 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736' };

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median and fastest milliseconds of fn over `reps` runs after 2 warm-ups. */
function time(fn, reps) {
  for (let i = 0; i < 2; i++) fn();
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(ms), best: Math.min(...ms) };
}

function ours(dd, reps) {
  dd.manualSeed(0);
  const F = dd.nn.functional;
  const x = dd.rand([N, C, H, H]).mul(2).sub(1).requiresGrad_();
  const w = dd.rand([C, 1, 3, 3]).mul(2).sub(1).requiresGrad_();
  const b = dd.rand([C]).mul(2).sub(1).requiresGrad_();
  const layer = () => F.conv2d(x, w, b, { groups: C, padding: 1 });
  return { forward: time(layer, reps), forward_backward: time(() => layer().sum().backward(), reps) };
}

/** PyTorch's figures at `threads`: { row: { ms, config } }, the faster configuration per row; or a reason string. */
function reference(threads, reps) {
  const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const best = {}, failures = [];
  for (const [config, extra] of [['default', {}], ['tuned', bestEnv]]) {
    const r = spawnSync(python, [path.join(__dirname, 'reference', 'depthwise_torch.py'), String(threads), String(reps)], {
      encoding: 'utf8', env: { ...process.env, ...extra }, timeout: 10 * 60 * 1000,
    });
    if (r.status !== 0) {
      failures.push(`${config}: ${(r.stderr || r.error || '').toString().trim().split('\n').pop()}`);
      continue;
    }
    for (const [row, ms] of Object.entries(JSON.parse(r.stdout.trim().split('\n').pop()))) {
      if (!best[row] || ms < best[row].ms) best[row] = { ms, config };
    }
  }
  return Object.keys(best).length > 0 ? best : `reference unavailable (${failures.join('; ')})`;
}

function main() {
  let opts;
  try {
    opts = options();
  } catch (e) {
    usageError(USAGE, e.message);
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const dd = require(path.join(__dirname, '..', 'dist', 'index.js'));
  const info = dd.backendInfo();
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`depthwise 3x3, ${C} channels, ${H}x${H}, batch ${N}: F.conv2d(x, w, b, { groups: ${C}, padding: 1 }) with autograd`);
  console.log(`dendrite ${info.isa}; medians over ${opts.reps} runs; ratio = PyTorch ms / dendrite ms (> 1: dendrite faster)`);
  console.log(`load average at start: ${load()} (a shared machine: figures under load are slower for both sides)`);
  const rows = [];
  for (const threads of opts.threads) {
    dd.setNumThreads(threads);
    const mine = ours(dd, opts.reps);
    // PyTorch right after ours, so both see about the same load.
    const refs = opts.reference ? reference(threads, opts.reps) : 'skipped';
    for (const row of ['forward', 'forward_backward']) {
      const ref = typeof refs === 'string' ? null : refs[row];
      rows.push({ row, threads, ms: mine[row].median, best: mine[row].best, refMs: ref?.ms, refConfig: ref?.config, ratio: ref ? ref.ms / mine[row].median : undefined });
    }
    if (typeof refs === 'string') console.log(`${threads} thread(s): ${refs}`);
  }
  dd.setNumThreads(info.threads);
  console.log(`load average at end: ${load()}`);
  const pad = (s, n) => String(s).padEnd(n), lpad = (s, n) => String(s).padStart(n);
  console.log(`${pad('row', 18)}${lpad('threads', 8)}${lpad('dendrite ms', 13)}${lpad('(best)', 10)}${lpad('PyTorch ms', 12)}  ${pad('(config)', 10)}${lpad('ratio', 7)}`);
  for (const r of rows) {
    const ref = r.refMs === undefined ? (opts.reference ? 'n/a' : 'skipped') : r.refMs.toFixed(2);
    console.log(`${pad(r.row, 18)}${lpad(r.threads, 8)}${lpad(r.ms.toFixed(2), 13)}${lpad(`(${r.best.toFixed(2)})`, 10)}${lpad(ref, 12)}  ${pad(r.refConfig ? `(${r.refConfig})` : '', 10)}${lpad(r.ratio ? r.ratio.toFixed(2) : '', 7)}`);
  }
  console.log(`tuned = ${Object.entries(bestEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ backend: info, rows }, null, 2));
}

main();
