// Multi-core scaling: GEMM (n = 1024, 2048), conv W2c forward+backward and one W7 training
// step (batch 64, random data) at a given thread count. Run it for 1, 2, 4, ... threads beside
// bench/reference/scaling_torch.py (same workloads in PyTorch, OMP_WAIT_POLICY=PASSIVE):
//   node bench/scaling.js THREADS    ->  one JSON line
'use strict';
const path = require('path');
const { parseOptions, usageError } = require('./lib/args');

const USAGE = `Usage: node bench/scaling.js THREADS

  THREADS       kernel threads for every workload (a positive integer)
  -h, --help    this text

Prints one JSON line: gemm1024_gflops, gemm2048_gflops, w2c_ms, w7_step_ms.
bench/reference/scaling_torch.py THREADS prints the same for PyTorch. Needs dist/ (npm run build:ts).
`;
const { positionals } = parseOptions(USAGE, {}, { allowPositionals: true });
if (positionals.length !== 1 || !/^[1-9][0-9]*$/.test(positionals[0])) usageError(USAGE, `expected one thread count, got ${positionals.length ? positionals.join(' ') : 'none'}`);
const threads = Number(positionals[0]);
const dd = require(path.join(__dirname, '..', 'dist', 'index.js'));
const { native } = require(path.join(__dirname, '..', 'dist', 'native.js'));
dd.setNumThreads(threads);
const med = (f, reps) => { for (let i = 0; i < 2; i++) f(); const ts = []; for (let i = 0; i < reps; i++) { const t = process.hrtime.bigint(); f(); ts.push(Number(process.hrtime.bigint() - t) / 1e6); } ts.sort((a, b) => a - b); return ts[Math.floor(reps / 2)]; };
const out = { threads, isa: dd.backendInfo().isa };
for (const n of [1024, 2048]) {
  const a = new Float32Array(n * n).map(() => Math.random() - 0.5), b = a.slice(), c = new Float32Array(n * n);
  const ms = med(() => native().gemm(false, false, n, n, n, 1, a, n, 0, b, n, 0, 0, c, n, 0, 1), n === 2048 ? 5 : 9);
  out[`gemm${n}_gflops`] = +(2 * n ** 3 / ms / 1e6).toFixed(1);
}
{
  const N = 32, C = 64, H = 56, O = 64;
  const x = new Float32Array(N * C * H * H).map(() => Math.random()), w = new Float32Array(O * C * 9).map(() => Math.random()), bias = new Float32Array(O);
  const y = new Float32Array(N * O * H * H), gx = new Float32Array(x.length), gw = new Float32Array(w.length), gb = new Float32Array(O);
  out.w2c_ms = +med(() => {
    native().conv2dForward(x, w, bias, y, N, C, H, H, O, 3, 3, 1, 1, 1, 1, 1, 1);
    native().conv2dBackward(x, w, y, gx, gw, gb, N, C, H, H, O, 3, 3, 1, 1, 1, 1, 1, 1);
  }, 5).toFixed(1);
}
{
  const { nn } = dd;
  dd.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(3136, 128), new nn.ReLU(), new nn.Dropout(0.5), new nn.Linear(128, 10));
  const opt = new dd.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = dd.rand([64, 1, 28, 28]), y = dd.randint(0, 10, [64]);
  out.w7_step_ms = +med(() => { opt.zeroGrad(); const l = nn.functional.crossEntropy(model.forward(x), y); l.backward(); opt.step(); }, 15).toFixed(2);
}
console.log(JSON.stringify(out));
