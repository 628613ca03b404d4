#!/usr/bin/env node
/**
 * Every benchmark in its quick setting, one after the other, and one table:
 * the workload, dendrite's figure, the reference's figure measured in the same
 * run, their ratio, and the command that gives the full figure.
 *
 *   npm run bench                        all of them (several minutes)
 *   node bench/run.js --only gemm,infer  some of them
 *   node bench/run.js --no-reference     dendrite's figures only
 *
 * Quick figures come from few repetitions on small settings: they show that
 * every benchmark runs and roughly where it stands, not the figure to quote.
 * Each script's own output goes to stderr as it runs; the table to stdout.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { parseOptions, usageError } = require('./lib/args');

const repo = path.join(__dirname, '..');
const shared = process.env.DENDRITE_SHARED || path.join(repo, '..', 'shared');
const fullData = path.join(shared, 'data', 'fashion-mnist');
const sampleData = path.join(repo, 'data', 'fashion-mnist-sample');
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const cores = os.cpus().length;

// ---------------------------------------------------------------- reading the scripts' output

/** The cells of a markdown table row, or null for any other line. */
function cells(line) {
  const t = line.trim();
  return t.startsWith('|') && t.endsWith('|') ? t.slice(1, -1).split('|').map((c) => c.trim()) : null;
}

/** The first markdown row whose leading cells are `lead`. */
function findRow(out, ...lead) {
  for (const line of out.split('\n')) {
    const c = cells(line);
    if (c && lead.every((v, i) => c[i] === String(v))) return c;
  }
  return null;
}

/** A number from a cell ("85.12%" -> 85.12), or undefined for 'n/a', '-', '—' and the like. */
function num(text) {
  const m = /^-?[0-9]+(\.[0-9]+)?/.exec(String(text ?? '').trim());
  return m ? Number(m[0]) : undefined;
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// ---------------------------------------------------------------- the workloads

/*
 * Each entry: the script and its quick arguments, the command for the full
 * figure, and rows(run) -> [{ workload, ours, ref, unit, better }] read from
 * the script's output. `better` is 'lower' (times) or 'higher' (rates,
 * accuracies): the ratio is oriented so that > 1 means dendrite, or the variant
 * under test, does better.
 */
const BENCHES = [
  {
    name: 'gemm', script: 'gemm.js', quick: ['--quick', '--rounds', '1'], full: 'node bench/gemm.js',
    rows({ stdout }) {
      const rows = [];
      let threads = null;
      for (const line of stdout.split('\n')) {
        const section = /^(\d+) threads?: GFLOP\/s/.exec(line);
        if (section) threads = Number(section[1]);
        const t = line.trim().split(/\s+/);
        if (threads !== null && t[0] === '1024x1024x1024' && t[1] === 'NN') {
          rows.push({ workload: `W1 SGEMM 1024³, ${threads}T (vs numpy)`, ours: num(t[2]), ref: num(t[3]), unit: 'GFLOP/s', better: 'higher' });
        }
      }
      return rows;
    },
  },
  {
    name: 'kernels-conv', script: 'kernels-conv.js', quick: ['--threads', '1'], json: true, full: 'node bench/kernels-conv.js',
    rows({ json }) {
      const pick = { 'W2c conv fwd+bwd': 'W2c conv 32×64×56² k3 fwd+bwd, 1T', 'W3 maxpool fwd+bwd': 'W3 max-pool fwd+bwd, 1T', 'W5 dropout fwd+bwd': 'W5 dropout 16M fwd+bwd, 1T' };
      return json.rows.filter((r) => pick[r.workload]).map((r) => ({ workload: pick[r.workload], ours: r.ms, ref: r.refMs, unit: 'ms', better: 'lower' }));
    },
  },
  {
    name: 'kernels-math', script: 'kernels-math.js', quick: ['--rounds', '1'], full: 'node bench/kernels-math.js --rounds 3',
    rows({ stdout }) {
      const rows = [];
      for (const line of stdout.split('\n')) {
        // The wall-time table: shape, ours 1T, ours 2T, PyTorch default, PyTorch best, ratio.
        const m = /^\((\d+), (\d+)\)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
        if (m) rows.push({ workload: `W4 softmax+CE (${m[1]}, ${m[2]}) fwd+bwd, 1T`, ours: num(m[3]), ref: num(m[6]), unit: 'ms', better: 'lower' });
      }
      return rows;
    },
  },
  {
    name: 'depthwise', script: 'depthwise.js', quick: ['--threads', '1', '--reps', '5'], json: true, full: 'node bench/depthwise.js',
    rows({ json }) {
      return json.rows.filter((r) => r.row === 'forward_backward')
        .map((r) => ({ workload: `depthwise 3×3 conv 32×64×56² fwd+bwd, ${r.threads}T`, ours: r.ms, ref: r.refMs, unit: 'ms', better: 'lower' }));
    },
  },
  {
    name: 'infer', script: 'infer.js', quick: ['--threads', '1', '--reps', '30'], full: 'node bench/infer.js',
    rows({ stdout }) {
      return [['MLP', 1], ['MLP', 64], ['CNN', 1], ['CNN', 64]].map(([model, batch]) => {
        const c = findRow(stdout, model, batch, 1);
        return { workload: `W8 ${model} inference session, batch ${batch}, 1T (ref: onnxruntime-node)`, ours: num(c?.[3]), ref: num(c?.[4]), unit: 'µs', better: 'lower' };
      });
    },
  },
  {
    name: 'train', script: 'train.js', quick: ['--threads', '2', '--epochs', '1', '--limit', '50'], needsFullData: true, full: 'node bench/train.js',
    rows({ stdout }) {
      return ['W6', 'W7'].map((w) => {
        const c = findRow(stdout, w, 2);
        return { workload: `${w} training, s/epoch (50 batches, extrapolated), 2T`, ours: num(c?.[4]), ref: num(c?.[5]), unit: 's', better: 'lower' };
      });
    },
  },
  {
    name: 'best-model', script: 'best-model.js', quick: ['--seeds', '0', '--epochs', '1'], needsFullData: true, full: 'node bench/best-model.js',
    rows({ stdout }) {
      const ours = findRow(stdout, 'dendrite', 0), ref = findRow(stdout, 'PyTorch', 0);
      return [
        { workload: 'fashionBnCnn, 1 epoch: test accuracy', ours: num(ours?.[2]), ref: num(ref?.[2]), unit: '%', better: 'higher' },
        { workload: 'fashionBnCnn, 1 epoch: wall time, 2T', ours: num(ours?.[3]), ref: num(ref?.[3]), unit: 's', better: 'lower' },
      ];
    },
  },
  {
    name: 'scaling', script: 'scaling.js', quick: [String(cores)], twin: ['reference/scaling_torch.py', String(cores)],
    full: 'node bench/scaling.js T; python3 bench/reference/scaling_torch.py T (T = 1, 2, 4, …)',
    rows({ stdout, twin }) {
      const ours = JSON.parse(stdout.trim().split('\n').pop());
      return [
        { workload: `W7 training step, batch 64, ${cores}T`, ours: ours.w7_step_ms, ref: twin?.w7_step_ms, unit: 'ms', better: 'lower' },
        { workload: `SGEMM 2048³, ${cores}T (vs PyTorch)`, ours: ours.gemm2048_gflops, ref: twin?.gemm2048_gflops, unit: 'GFLOP/s', better: 'higher' },
      ];
    },
  },
  {
    name: 'negative-sampling', script: 'negative-sampling.js', quick: ['--reps', '5'], full: 'node bench/negative-sampling.js',
    rows({ stdout }) {
      const step = (label) => num(stdout.split('\n').map(cells).find((c) => c && c[0].startsWith(label))?.[1]);
      return [{ workload: '50k-class output step: sampled (ref: full softmax)', ours: step('negative sampling'), ref: step('full softmax'), unit: 'ms', better: 'lower' }];
    },
  },
  {
    name: 'depth', script: 'depth.js', quick: ['--epochs', '1', '--depth', '10', '--data', sampleData], full: 'node bench/depth.js',
    rows({ stdout }) {
      const acc = (kind) => num(findRow(stdout, kind)?.[2]);
      return [{ workload: '10-layer sigmoid MLP, 1 epoch on the sample: residual (ref: plain) test accuracy', ours: acc('residual'), ref: acc('plain'), unit: '%', better: 'higher' }];
    },
  },
  {
    name: 'worker-speed', script: 'worker-speed.js', quick: ['--threads', '2', '--runs', '1', '--samples', '3000', '--data', sampleData], full: 'node bench/worker-speed.js',
    rows({ stdout }) {
      const c = findRow(stdout, 2);
      return [{ workload: 'W7 epoch of 3000 images in a worker (ref: main thread), 2T', ours: num(c?.[2]), ref: num(c?.[1]), unit: 's', better: 'lower' }];
    },
  },
  {
    name: 'serve', script: 'serve.js', quick: ['--quick', '--scenarios', 'main,worker', '--batching-requests', '300'], full: 'node bench/serve.js',
    rows({ stdout }) {
      const p99 = (scenario) => num(findRow(stdout, scenario)?.[2]?.split('/')[1]);
      const rate = (maxBatch) => num(findRow(stdout, maxBatch)?.[1]);
      return [
        { workload: '/predict p99 while training: in a worker (ref: on the main thread)', ours: p99('worker'), ref: p99('main'), unit: 'ms', better: 'lower' },
        { workload: 'inference pool, 32 clients: maxBatchSize 32 (ref: 1)', ours: rate(32), ref: rate(1), unit: 'req/s', better: 'higher' },
      ];
    },
  },
];

// The scripts that take --no-reference (scaling's twin is run from here).
const REFERENCE_FLAG = new Set(['gemm.js', 'depthwise.js', 'infer.js', 'kernels-conv.js', 'kernels-math.js', 'train.js', 'best-model.js']);

// ---------------------------------------------------------------- running them

const USAGE = `Usage: node bench/run.js [options]     (npm run bench)

Runs every benchmark in its quick setting and prints one table: workload,
dendrite's figure, the reference's, their ratio (> 1: dendrite does better),
and the command that gives the full figure.

  --only LIST       some of: ${BENCHES.map((b) => b.name).join(', ')}
  --no-reference    skip the reference implementations (PyTorch, numpy)
  --timeout S       seconds allowed to each benchmark (default 900)
  -h, --help        this text

Needs dist/ (npm run build:ts). Training benchmarks need Fashion-MNIST in
$DENDRITE_SHARED/data/fashion-mnist (default ../shared) and are skipped without it.
`;

/**
 * Runs one script (or its Python twin), echoing its output to stderr as it
 * comes: { status, signal, timedOut, stdout, stderr }.
 */
function runScript(file, args, timeoutS, interpreter = process.execPath) {
  return new Promise((resolve) => {
    const child = spawn(interpreter, [path.join(__dirname, file), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '', timedOut: false };
    const timer = setTimeout(() => {
      out.timedOut = true;
      child.kill('SIGTERM');
    }, timeoutS * 1000);
    for (const stream of ['stdout', 'stderr']) {
      child[stream].setEncoding('utf8');
      child[stream].on('data', (text) => {
        out[stream] += text;
        process.stderr.write(text);
      });
    }
    child.on('error', (e) => {
      // Could not start (no such interpreter): 'close' may never come.
      clearTimeout(timer);
      resolve({ ...out, stderr: `${out.stderr}${e.message}\n`, status: null, signal: null });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ ...out, status, signal });
    });
  });
}

/** Why a finished run gave no figures: its exit, or its last line of error output. */
function failure(r, timeoutS) {
  if (r.timedOut) return `no result in ${timeoutS} s`;
  const last = r.stderr.trim().split('\n').pop();
  return `exit ${r.status ?? r.signal}${last ? `: ${last.slice(0, 120)}` : ''}`;
}

/** Lines in which a script says why its reference is missing, shortened. */
function referenceNotes(text) {
  const found = new Set();
  for (const line of text.split('\n')) {
    const m = /((?:reference|PyTorch) (?:unavailable|failed|skipped)[^\n]*)/i.exec(line);
    if (m) found.add(m[1].slice(0, 160));
  }
  return [...found];
}

async function bench(b, o, scratch) {
  const label = `${b.script} ${b.quick.join(' ')}`;
  if (b.needsFullData && !fs.existsSync(path.join(fullData, 'train-images-idx3-ubyte.gz'))) {
    return { skipped: `skipped: Fashion-MNIST not found in ${fullData} (set DENDRITE_SHARED)` };
  }
  const args = [...b.quick];
  if (o.noReference && REFERENCE_FLAG.has(b.script)) args.push('--no-reference');
  const jsonFile = b.json ? path.join(scratch, `${b.name}.json`) : null;
  if (jsonFile) args.push('--json', jsonFile);
  process.stderr.write(`\n== ${label}\n`);
  const t0 = performance.now();
  const r = await runScript(b.script, args, o.timeout);
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return { failed: failure(r, o.timeout), seconds };
  let twin;
  const notes = referenceNotes(`${r.stdout}\n${r.stderr}`);
  if (b.twin && !o.noReference) {
    const t = await runScript(b.twin[0], b.twin.slice(1), o.timeout, python);
    if (t.status === 0) twin = JSON.parse(t.stdout.trim().split('\n').pop());
    else notes.push(`${b.twin[0]}: reference unavailable (${failure(t, o.timeout)})`);
  }
  try {
    return { rows: b.rows({ stdout: r.stdout, json: jsonFile && readJson(jsonFile), twin }), notes, seconds };
  } catch (e) {
    return { failed: `its output could not be read (${e.message})`, seconds };
  }
}

// ---------------------------------------------------------------- the table

function figure(x, unit) {
  if (x === undefined || x === null || Number.isNaN(x)) return 'n/a';
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3;
  return `${x.toFixed(digits)} ${unit}`;
}

function ratio(row) {
  const { ours, ref } = row;
  if (!(ours > 0) || !(ref > 0)) return '';
  return (row.better === 'lower' ? ref / ours : ours / ref).toFixed(2);
}

function printTable(header, rows) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

async function main() {
  const { values } = parseOptions(USAGE, {
    only: { type: 'string' },
    'no-reference': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
  });
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) usageError(USAGE, `--timeout must be a positive number of seconds, got ${values.timeout}`);
  let chosen = BENCHES;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
    if (unknown.length > 0) usageError(USAGE, `unknown benchmark ${unknown.join(', ')}`);
    chosen = BENCHES.filter((b) => names.includes(b.name));
  }
  if (!fs.existsSync(path.join(repo, 'dist', 'index.js'))) {
    process.stderr.write('bench/run.js: dist/ is missing; run `npm run build:ts` first.\n');
    process.exit(1);
  }
  const o = { noReference: values['no-reference'], timeout };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-bench-'));
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
  const loadAtStart = load();
  const started = performance.now();
  const rows = [];
  const notes = [];
  try {
    for (const b of chosen) {
      const result = await bench(b, o, scratch);
      const cmd = b.full;
      if (result.skipped || result.failed) {
        rows.push([b.script, result.skipped ?? `FAILED: ${result.failed}`, '', '', cmd]);
        continue;
      }
      for (const r of result.rows) rows.push([r.workload, figure(r.ours, r.unit), figure(r.ref, r.unit), ratio(r), cmd]);
      for (const n of result.notes) notes.push(`${b.script}: ${n}`);
      process.stderr.write(`== ${b.script}: ${result.seconds.toFixed(0)} s\n`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nQuick benchmarks: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, node ${process.version}; ` +
    `load average ${loadAtStart} at start, ${load()} at end; ${((performance.now() - started) / 1000).toFixed(0)} s in all.`);
  console.log('Quick settings (few repetitions, small sizes): indicative only; on a busy machine both sides slow down.');
  console.log('ratio > 1: dendrite (or the variant named first) does better: reference time / ours, or our rate / the reference\'s.\n');
  printTable(['workload', 'dendrite', 'reference', 'ratio', 'full figure'], rows);
  if (notes.length > 0) {
    console.log('\nMissing references:');
    for (const n of notes) console.log(`  ${n}`);
  }
  if (rows.some((r) => r[1].startsWith('FAILED'))) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
