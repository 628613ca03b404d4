/**
 * A seeded, bounded fuzz of every binding: random argument lists drawn from
 * typed arrays of random kinds, lengths, offsets and contents (shared memory,
 * detached buffers, NaN and infinities included), sizes from 0 to 2^60 and
 * other junk. Every call must return or throw a JS error naming the binding
 * within a time bound; the run is in a child process, so a crash is seen as
 * one. A failure prints the seed and the call, which replays it:
 *   DENDRITE_FUZZ_SEED=<seed> npx jest test/fuzz-bindings.test.ts
 */
import { spawnSync } from 'child_process';
import { addonCandidates } from '../ts/native';

const fuzz = `
const addon = require(process.argv[1]);
const seed = Number(process.argv[2]), calls = Number(process.argv[3]);
let s = seed >>> 0;
const rand = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const floats = [0, 1, -1, 0.5, 3, -7, 1e-30, 1e30, NaN, Infinity, -Infinity];
const sizes = [0, 1, 2, 3, 7, 8, 16, 17, 64, 255, 2 ** 20, 2 ** 26, 2 ** 31, 2 ** 40, 2 ** 53, 2 ** 60, -1, 1.5, NaN];
function array() {
  const Kind = pick([Float32Array, Float32Array, Int32Array, Uint8Array, Float64Array]);
  const n = pick([0, 1, 2, 3, 5, 8, 16, 31, 64, 100]);
  const shared = rand() < 0.2;
  const offset = rand() < 0.2 ? 1 : 0;
  const buffer = shared ? new SharedArrayBuffer((n + offset) * Kind.BYTES_PER_ELEMENT) : new ArrayBuffer((n + offset) * Kind.BYTES_PER_ELEMENT);
  const a = new Kind(buffer, offset * Kind.BYTES_PER_ELEMENT, n);
  for (let i = 0; i < n; i++) a[i] = Kind === Float32Array || Kind === Float64Array ? pick(floats) : Math.floor(rand() * 8) - 2;
  if (!shared && rand() < 0.05) structuredClone(buffer, { transfer: [buffer] }); // detached
  return a;
}
function value() {
  const r = rand();
  if (r < 0.45) return array();
  if (r < 0.85) return pick(sizes);
  return pick([true, false, null, undefined, 'x', {}, [], () => 0, pick(floats)]);
}
const skip = new Set(['setNumThreads', 'setIsa']);
const names = Object.keys(addon).filter((k) => typeof addon[k] === 'function' && !skip.has(k)).sort();
const describe = (v) => ArrayBuffer.isView(v) ? v.constructor.name + '(' + v.length + (v.buffer instanceof SharedArrayBuffer ? ', shared' : '') + (v.byteOffset ? ', offset' : '') + ')' : typeof v === 'function' ? 'fn' : JSON.stringify(v) ?? String(v);
for (let i = 0; i < calls; i++) {
  const name = pick(names);
  const args = Array.from({ length: Math.floor(rand() * 20) }, value);
  const t = performance.now();
  try { addon[name](...args); } catch (e) {
    const named = String(e && e.message).includes(name) || String(e && e.message).startsWith('dendrite');
    if (!(e instanceof Error) || !named) { console.log(JSON.stringify({ seed, call: i, name, args: args.map(describe), problem: 'unnamed error: ' + e })); process.exit(3); }
  }
  const ms = performance.now() - t;
  if (ms > 1000) { console.log(JSON.stringify({ seed, call: i, name, args: args.map(describe), problem: 'took ' + ms.toFixed(0) + ' ms' })); process.exit(4); }
}
console.log(JSON.stringify({ seed, calls }));
`;

const seeds = process.env.DENDRITE_FUZZ_SEED ? [Number(process.env.DENDRITE_FUZZ_SEED)] : [1, 2, 3];

test.each(seeds)('fuzzed calls to every binding return or throw a named JS error, in time, never crash (seed %i)', (seed) => {
  const r = spawnSync(process.execPath, ['-e', fuzz, addonCandidates()[0], String(seed), '4000'], { encoding: 'utf8', timeout: 100000 });
  const report = `seed ${seed}: signal ${r.signal}, status ${r.status}\n${r.stdout}\n${r.stderr.slice(-2000)}`;
  expect({ report, crashed: r.signal !== null || r.status !== 0 }).toEqual({ report, crashed: false });
  expect(JSON.parse(r.stdout.trim().split('\n').pop() as string)).toEqual({ seed, calls: 4000 });
});
