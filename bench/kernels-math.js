#!/usr/bin/env node
// W4 of bench/README.md: softmax + cross-entropy (integer
// labels), forward + backward, for (1024, 10) and (256, 10000), in ms per
// call, beside PyTorch measured in the same run; then, for information, the
// throughput of a few elementwise kernels in GB/s.
//
//   npx tsc -p . && node bench/kernels-math.js [--rounds N] [--no-reference] [--python PATH]
//
// Our call is what a training step runs: the fused kernel writes the loss sum
// and softmax − onehot in one pass, then the gradient is scaled by 1/rows
// (cross-entropy's mean), into a preallocated buffer (the tensor layer
// recycles buffers). PyTorch's figure is F.cross_entropy(z, y).backward().
// Both run on one thread (the reference script is called with 1), and
// PyTorch also with the "best configuration" environment from its header;
// the faster of its two figures is compared. Figures are medians of 9 timed
// batches (about 50 ms each) after warm-up; with --rounds N the whole table
// is measured N times and the median per cell printed (the machine is shared).
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const { parseOptions, usageError } = require('./lib/args');
const { referenceScript } = require('./lib/paths');

const USAGE = `Usage: node bench/kernels-math.js [options]

  --rounds N        measure the whole table N times, print the median per cell (default 1)
  --no-reference    skip PyTorch
  --python PATH     the python3 with torch that runs the reference (default /usr/bin/python3, then python3)
  -h, --help        this text

Needs dist/ (npx tsc -p .). Reference: bench/reference/kernels_torch.py.
`;
const { values: args } = parseOptions(USAGE, {
  rounds: { type: 'string', default: '1' },
  'no-reference': { type: 'boolean', default: false },
  python: { type: 'string' },
});
const rounds = Math.max(1, Number(args.rounds));
if (!Number.isInteger(rounds)) usageError(USAGE, `--rounds must be a positive integer, got ${args.rounds}`);
const withReference = !args['no-reference'];

const repoRoot = path.join(__dirname, '..');
const { native } = require(path.join(repoRoot, 'dist', 'native.js'));
const dd = require(path.join(repoRoot, 'dist', 'index.js'));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function uniform(len, seed, lo = 0, hi = 1) {
  const out = new Float32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 4294967296;
  }
  return out;
}

/**
 * Seconds per call of fn, median of 9 batches of about 50 ms after warm-up:
 * { wall, cpu } where cpu is this process's CPU time per call (user + system),
 * which a busy machine inflates far less than wall time.
 */
function timeCall(fn) {
  for (let i = 0; i < 3; i++) fn();
  let t = process.hrtime.bigint();
  fn();
  const once = Number(process.hrtime.bigint() - t) / 1e9;
  const reps = Math.max(1, Math.floor(0.05 / Math.max(once, 1e-7)));
  const wall = [], cpu = [];
  for (let r = 0; r < 9; r++) {
    const c = process.cpuUsage();
    t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    wall.push(Number(process.hrtime.bigint() - t) / 1e9 / reps);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1e6 / reps);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

// ---- W4: ours ----

const W4 = [[1024, 10], [256, 10000]];
const w4Key = (rows, cols) => `softmax_ce_${rows}x${cols}`;

function measureSoftmaxCe(rows, cols) {
  const d = native();
  const logits = uniform(rows * cols, 7); // torch.rand: uniform [0, 1)
  const labels = Int32Array.from({ length: rows }, (_, i) => (i * 7919) % cols);
  const grad = new Float32Array(rows * cols);
  let loss = 0;
  const step = () => {
    loss = d.softmaxCrossEntropy(logits, labels, rows, cols, grad) / rows;
    d.scalarOp(d.elementwiseOps.scalar.mul, grad, 1 / rows, grad);
  };
  const t = timeCall(step);
  if (!Number.isFinite(loss)) throw new Error('non-finite loss');
  return { wall: t.wall * 1e3, cpu: t.cpu * 1e3 };
}

// The same through the public API, as PyTorch is timed: logits requiring
// gradients, F.crossEntropy (mean), backward, fresh outputs each call.
function measureSoftmaxCeApi(rows, cols) {
  const logits = dd.tensor(uniform(rows * cols, 7), [rows, cols], { requiresGrad: true });
  const labels = dd.tensor(Int32Array.from({ length: rows }, (_, i) => (i * 7919) % cols), [rows]);
  const t = timeCall(() => dd.nn.functional.crossEntropy(logits, labels).backward());
  return { wall: t.wall * 1e3, cpu: t.cpu * 1e3 };
}

// ---- W4: the PyTorch reference, in a child process ----

function pythonWithTorch() {
  const wanted = args.python ?? null;
  for (const py of wanted ? [wanted] : ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

// Header of kernels_torch.py: PyTorch's best configuration on this machine.
const BEST_ENV = {
  TORCH_NO_MKLDNN: '1',
  OMP_WAIT_POLICY: 'PASSIVE',
  GLIBC_TUNABLES: 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736',
};

// The W4 workload of kernels_torch.py again, timed by the thread's CPU time
// (torch runs on the calling thread with one thread), for the CPU-time table.
const TORCH_CPU_SNIPPET = `
import json, time, torch
import torch.nn.functional as F
torch.set_num_threads(1)
out = {}
for R, K in ((1024, 10), (256, 10000)):
    z = torch.rand(R, K, requires_grad=True); y = torch.randint(0, K, (R,))
    fn = lambda: F.cross_entropy(z, y).backward()
    for _ in range(3): fn()
    t = time.perf_counter(); fn(); once = time.perf_counter() - t
    reps = max(1, int(0.05 / max(once, 1e-7)))
    ts = []
    for _ in range(9):
        c = time.thread_time()
        for _ in range(reps): fn()
        ts.append((time.thread_time() - c) / reps * 1e3)
    ts.sort(); out[f'softmax_ce_{R}x{K}'] = ts[4]
print(json.dumps(out))
`;

/** {key: ms} per configuration, or a string saying why there is none. */
function measureReference() {
  if (!withReference) return 'reference skipped (--no-reference)';
  const script = referenceScript('kernels_torch.py');
  const py = pythonWithTorch();
  if (!py) return 'reference unavailable (no python3 with torch; apt-get install -y python3-torch)';
  const runs = {};
  for (const [name, extra] of [['default', {}], ['best config', BEST_ENV]]) {
    const r = spawnSync(py, [script, '1'], { encoding: 'utf8', env: { ...process.env, ...extra }, timeout: 600000 });
    if (r.status !== 0) return `reference failed (${name}): ${(r.stderr || '').trim().split('\n').pop()}`;
    runs[name] = JSON.parse(r.stdout.trim().split('\n').pop());
  }
  for (const [name, extra] of [['cpu default', {}], ['cpu best config', BEST_ENV]]) {
    const r = spawnSync(py, ['-c', TORCH_CPU_SNIPPET], { encoding: 'utf8', env: { ...process.env, ...extra }, timeout: 300000 });
    if (r.status !== 0) return `reference CPU-time run failed (${name}): ${(r.stderr || '').trim().split('\n').pop()}`;
    runs[name] = JSON.parse(r.stdout.trim().split('\n').pop());
  }
  return runs;
}

// ---- elementwise throughput (information) ----

function elementwiseThroughput() {
  const d = native();
  const n = 1 << 22; // 16 MiB per array: well past the caches
  const a = uniform(n, 1, -4, 4), b = uniform(n, 2, -4, 4), out = new Float32Array(n);
  const m = new Float32Array(n), v = new Float32Array(n);
  const contiguous = Int32Array.from([1]), shape = Int32Array.from([n]);
  const rowShape = Int32Array.from([n / 1024, 1024]);
  const rowA = Int32Array.from([1024, 1]), rowB = Int32Array.from([0, 1]);
  const bias = uniform(1024, 3);
  const { binary, scalar, unary } = d.elementwiseOps; // op codes by name
  // [name, bytes moved per call, call]
  const cases = [
    ['add (same shape)', 12 * n, () => d.binaryOp(binary.add, a, contiguous, b, contiguous, out, shape)],
    ['add (row broadcast)', 8 * n, () => d.binaryOp(binary.add, a, rowA, bias, rowB, out, rowShape)],
    ['mul by scalar', 8 * n, () => d.scalarOp(scalar.mul, a, 0.5, out)],
    ['relu', 8 * n, () => d.unaryOp(unary.relu, a, out, 0)],
    ['relu backward', 12 * n, () => d.unaryBackward(unary.relu, a, a, b, out, 0)],
    ['exp', 8 * n, () => d.unaryOp(unary.exp, a, out, 0)],
    ['sigmoid', 8 * n, () => d.unaryOp(unary.sigmoid, a, out, 0)],
    ['tanh', 8 * n, () => d.unaryOp(unary.tanh, a, out, 0)],
    ['gelu', 8 * n, () => d.unaryOp(unary.gelu, a, out, 0)],
    ['axpy', 12 * n, () => d.axpy(0.5, a, out)],
    ['sumAll', 4 * n, () => d.sumAll(a)],
    ['adam update', 28 * n, () => d.adamUpdate(out, b, m, v, 1e-3, 0.9, 0.999, 1e-8, 0, false, 10)],
  ];
  const rows = [];
  for (const [name, bytes, fn] of cases) {
    const perThreads = [1, 2].map((t) => {
      d.setNumThreads(t);
      return bytes / timeCall(fn).wall / 1e9;
    });
    rows.push([name, ...perThreads]);
  }
  return rows;
}

// ---- main ----

function main() {
  const info = native().backendInfo();
  console.log(`dendrite ${info.isa}, ${info.hardwareThreads} hardware threads; ${rounds} round(s)`);
  const cell = {}; // cell[name][key] = [values over rounds]
  const add = (name, key, value) => ((cell[name] ||= {})[key] ||= []).push(value);
  let referenceNote = null;
  for (let r = 0; r < rounds; r++) {
    for (const [rows, cols] of W4) {
      const k = w4Key(rows, cols);
      native().setNumThreads(1);
      const one = measureSoftmaxCe(rows, cols);
      add('ours', k, one.wall);
      add('ours cpu', k, one.cpu);
      add('ours api', k, measureSoftmaxCeApi(rows, cols).wall);
      native().setNumThreads(2);
      add('ours 2t', k, measureSoftmaxCe(rows, cols).wall);
    }
    const ref = measureReference();
    if (typeof ref === 'string') referenceNote = ref;
    else {
      for (const [rows, cols] of W4) {
        const k = w4Key(rows, cols);
        add('torch default', k, ref.default[k]);
        add('torch best', k, Math.min(ref.default[k], ref['best config'][k]));
        add('torch cpu', k, Math.min(ref['cpu default'][k], ref['cpu best config'][k]));
      }
    }
  }
  native().setNumThreads(info.threads);
  const get = (name, k) => median(cell[name][k]);

  console.log('\nW4 softmax + cross-entropy, forward + backward: wall ms per call (median); ratio = PyTorch best / ours, >= 1 means faster');
  console.log('kernel: the native kernel on a preallocated gradient; API: F.crossEntropy(logits, labels).backward() with fresh outputs, as PyTorch is timed');
  const wall = [['shape', 'kernel 1t', 'kernel 2t', 'API 1t', 'PyTorch 1t default', 'PyTorch 1t best', 'ratio kernel', 'ratio API']];
  for (const [rows, cols] of W4) {
    const k = w4Key(rows, cols);
    const row = [`(${rows}, ${cols})`, get('ours', k).toFixed(4), get('ours 2t', k).toFixed(4), get('ours api', k).toFixed(4)];
    if (referenceNote) row.push('-', '-', '-', '-');
    else {
      const best = get('torch best', k);
      row.push(get('torch default', k).toFixed(4), best.toFixed(4), (best / get('ours', k)).toFixed(2), (best / get('ours api', k)).toFixed(2));
    }
    wall.push(row);
  }
  printTable(wall);
  if (referenceNote) console.log(referenceNote);
  else {
    console.log('\nThe same, one thread, CPU ms per call (less sensitive to other processes on a shared machine)');
    const cpu = [['shape', 'ours', 'PyTorch best', 'ratio']];
    for (const [rows, cols] of W4) {
      const k = w4Key(rows, cols);
      cpu.push([`(${rows}, ${cols})`, get('ours cpu', k).toFixed(4), get('torch cpu', k).toFixed(4), (get('torch cpu', k) / get('ours cpu', k)).toFixed(2)]);
    }
    printTable(cpu);
  }

  console.log('\nElementwise throughput, 4M floats per array (GB/s moved, wall time, information only)');
  const rows = elementwiseThroughput();
  native().setNumThreads(info.threads);
  printTable([['kernel', '1 thread', '2 threads'], ...rows.map(([n, a, b]) => [n, a.toFixed(1), b.toFixed(1)])]);
}

function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  '));
}

main();
