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
