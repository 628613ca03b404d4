/**
 * Every binding, fed wrong types, wrong lengths, negative, fractional,
 * non-finite and overflowing sizes, throws a JS error and never crashes.
 * The sweep runs in a child process so a crash is seen as a crash.
 */
import { spawnSync } from 'child_process';
import { addonCandidates, native } from '../ts/native';

const sweep = `
const addon = require(process.argv[1]);
const info = addon.backendInfo();
const junk = [undefined, null, true, 'x', -1, 1.5, NaN, Infinity, -Infinity, 2 ** 60, 1e300, {}, [],
  new Float32Array(0), new Float32Array(3), new Int32Array(3), new Uint8Array(3), new Float64Array(3), () => 0];
// Bindings that take no arguments, or change global state, are covered elsewhere.
const skip = new Set(['setNumThreads', 'setIsa', 'backendInfo', 'getNumThreads', 'releaseWorkspace']);
let calls = 0, errors = 0;
for (const [name, fn] of Object.entries(addon)) {
  if (typeof fn !== 'function' || skip.has(name)) continue;
  for (let argc = 0; argc <= 20; argc++) {
    for (let j = 0; j < junk.length; j++) {
      const args = Array.from({ length: argc }, (_, i) => junk[(i * 7 + j) % junk.length]);
      calls++;
      try { fn(...args); } catch (e) {
        if (!(e instanceof TypeError || e instanceof RangeError || e instanceof Error)) throw e;
        if (!String(e.message).includes(name) && !String(e.message).startsWith('dendrite')) {
          console.error('unnamed error from ' + name + ': ' + e.message); process.exit(3);
        }
        errors++;
      }
    }
  }
}
addon.setIsa(info.isa); addon.setNumThreads(info.threads);
console.log(JSON.stringify({ calls, errors }));
`;

test('junk arguments to every binding give JS errors, never a crash', () => {
  const file = addonCandidates()[0];
  const r = spawnSync(process.execPath, ['-e', sweep, file], { encoding: 'utf8', timeout: 60000 });
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const { calls, errors } = JSON.parse(r.stdout);
  expect(calls).toBeGreaterThan(100);
  expect(errors).toBeGreaterThan(calls * 0.9);
});

describe('gemm argument checks', () => {
  const f = (n: number) => new Float32Array(n);
  const g = native().gemm;
  test('names the argument', () => {
    expect(() => g(false, false, 2, 2, 2, 1, f(3), 2, 0, f(4), 2, 0, 0, f(4), 2, 0, 1)).toThrow(/gemm: argument 'a' needs at least 4/);
    expect(() => g(false, false, 2, 2, 2, 1, f(4), 1, 0, f(4), 2, 0, 0, f(4), 2, 0, 1)).toThrow(/leading dimension of 'a'/);
    expect(() => g(false, false, -1, 2, 2, 1, f(4), 2, 0, f(4), 2, 0, 0, f(4), 2, 0, 1)).toThrow(RangeError);
    expect(() => g(false, false, 2, 2, 2, NaN, f(4), 2, 0, f(4), 2, 0, 0, f(4), 2, 0, 1)).toThrow(/alpha/);
    expect(() => g(false, false, 2, 2, 2, 1, new Float64Array(4) as unknown as Float32Array, 2, 0, f(4), 2, 0, 0, f(4), 2, 0, 1)).toThrow(TypeError);
    expect(() => g(false, false, 2 ** 40, 2 ** 40, 2, 1, f(4), 2, 0, f(4), 2 ** 40, 0, 0, f(4), 2 ** 40, 0, 1)).toThrow(RangeError);
    expect(() => g(false, false, 2, 2, 2, 1, f(4), 2, 0, f(4), 2, 0, 0, f(8), 2, 1, 2)).toThrow(/overlap/);
  });
});

// Empty buffers with one huge dimension: the length checks pass (0 elements are needed), so
// only a binding that bounds its work by its buffers returns at once instead of walking
// n·c empty planes (maxPool2dBackward, augmentRotate and augmentShiftFlip used to take seconds to hours).
const emptyWork = `
const addon = require(process.argv[1]);
const F = () => new Float32Array(0), I = () => new Int32Array(0), U = () => new Uint8Array(0);
const H = 2 ** 26;
const calls = {
  maxPool2dBackward: [F(), I(), F(), H, 1, 0, 0, 1, 0],
  maxPool2dBackward2: ['maxPool2dBackward', F(), I(), F(), H, 1, 1, 0, 0, 0],
  augmentRotate: [F(), F(), 1, H, 0, 0, new Float32Array(1), 0],
  augmentShiftFlip: [F(), F(), 1, H, 0, 0, 0, 0, new Int32Array(1), new Int32Array(1), new Uint8Array(1), 0],
  channelDropoutForward: [F(), F(), U(), 1, H, 0, 0.5, 1, 0],
  channelDropoutBackward: [F(), U(), 1, H, 0, 0.5, F()],
  softmax: [F(), H, 0, F()],
  logSoftmax: [F(), H, 0, F()],
  softmaxBackward: [F(), F(), H, 0, F()],
  softmaxCrossEntropy: [F(), I(), 0, H, F()],
  reduceSum: [F(), H, 0, H, F()],
  reduceSum2: ['reduceSum', F(), 0, H, 0, F()],
  reduceMax: [F(), H, 0, H, F(), I()],
  gatherRows: [F(), 0, H, I(), F()],
  scatterAddRows: [F(), I(), H, F(), 0],
  copyBlocks: [F(), 0, F(), 0, H, 0, 0, 0],
  maxNormRows: [F(), H, 0, 1],
  permute: [F(), new Int32Array([H, 0, H]), new Int32Array([2, 1, 0]), F()],
  conv2dForward: [F(), F(), null, F(), H, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1],
  conv2dForward2: ['conv2dForward', F(), F(), null, F(), 1, H, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1],
  conv2dBackward: [F(), F(), F(), F(), F(), null, H, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1],
  conv2dForward3: ['conv2dForward', F(), F(), null, F(), H, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 2],
  convTranspose2dForward: [F(), F(), null, F(), H, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1],
  convTranspose2dBackward: [F(), F(), F(), F(), F(), null, H, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1],
  avgPool2dBackward: [F(), F(), H, 1, 1, 1, 1, 1, 1, 1, 0, 0, true],
  avgPool2dBackward2: ['avgPool2dBackward', F(), F(), H, 1, 1, 1, 1, 1, 1, 1, 0, 0, true, true],
  adaptiveAvgPool2dForward: [F(), F(), H, 1, 1, 1, 1, 1],
  adaptiveAvgPool2dForward2: ['adaptiveAvgPool2dForward', F(), F(), 0, 1, H, 1, H, 1],
  adaptiveAvgPool2dBackward: [F(), F(), H, 1, 1, 1, 1, 1],
  adaptiveMaxPool2dForward: [F(), F(), I(), H, 1, 1, 1, 1, 1],
  upsampleNearest2dForward: [F(), F(), H, 1, 1, 1, 1, 1, null, null],
  upsampleNearest2dForward2: ['upsampleNearest2dForward', F(), F(), 0, 1, 1, 1, H, H, null, null],
  upsampleNearest2dBackward: [F(), F(), 1, H, 1, 1, 2, 2, null, null],
  upsampleBilinear2dForward: [F(), F(), 0, H, 1, 1, H, H, true, null, null],
  upsampleBilinear2dBackward: [F(), F(), H, 1, 1, 1, 1, 1, false, 2, 2],
  batchNormForwardTraining: [F(), null, null, H, 1, 0, 1e-5, F(), new Float32Array(1), new Float32Array(1), null, null, 0.1],
  batchNormForwardTraining2: ['batchNormForwardTraining', F(), null, null, 0, 1, H, 1e-5, F(), new Float32Array(1), new Float32Array(1), null, null, 0.1],
  batchNormForwardInference: [F(), new Float32Array(1), new Float32Array(1), null, null, H, 1, 0, 1e-5, F()],
  batchNormBackward: [F(), F(), new Float32Array(1), new Float32Array(1), null, H, 1, 0, true, F(), new Float32Array(1), new Float32Array(1)],
  layerNormForward: [F(), null, null, 0, H, 1e-5, F(), F(), F()],
  layerNormBackward: [F(), F(), F(), F(), null, 0, H, F(), null, null],
  localResponseNormForward: [F(), H, 1, 0, 3, 1e-4, 0.75, 1, F(), F()],
  localResponseNormBackward: [F(), F(), F(), H, 0, H, 3, 1e-4, 0.75, 1, F()],
  gemm: [false, false, 0, 0, H, 1, F(), 1, 0, F(), 1, 0, 0, F(), 1, 0, H],
};
const out = {};
for (const [key, list] of Object.entries(calls)) {
  const name = typeof list[0] === 'string' && !(key in addon) ? list[0] : key;
  const args = name === key ? list : list.slice(1);
  const t = performance.now();
  let r = 'ok';
  try { addon[name](...args); } catch (e) { r = e.constructor.name + ': ' + e.message.slice(0, 90); }
  out[key] = { ms: Number((performance.now() - t).toFixed(2)), r };
}
console.log(JSON.stringify(out));
`;

test('empty buffers with a huge dimension return or throw at once, in every binding that takes planes or rows', () => {
  const file = addonCandidates()[0];
  const r = spawnSync(process.execPath, ['-e', emptyWork, file], { encoding: 'utf8', timeout: 60000 });
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  const results = JSON.parse(r.stdout) as Record<string, { ms: number; r: string }>;
  expect(Object.keys(results).length).toBeGreaterThan(20);
  for (const [call, { ms, r: outcome }] of Object.entries(results)) {
    // A generous bound for a shared machine: the calls take well under a millisecond; before the fix, seconds.
    expect({ call, slow: ms > 1000 }).toEqual({ call, slow: false });
    expect(outcome === 'ok' || /^(TypeError|RangeError): /.test(outcome)).toBe(true);
  }
});
