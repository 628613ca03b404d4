/**
 * Corrupt and hostile safetensors input: every case must either decode to a
 * consistent result or throw a SafetensorsError naming the problem — never
 * another kind of error, a crash or a huge allocation. Deterministic (seeded).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SafetensorsError, decodeSafetensors, encodeSafetensors, readSafetensors, readSafetensorsSync } from '../../ts/io';
import { TestRandom } from '../support/random';

const base = encodeSafetensors(
  {
    w: { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    ids: { shape: [3], data: Int32Array.of(7, -8, 9) },
    h: { dtype: 'F16', shape: [2], data: Float32Array.of(0.5, -1) },
    flag: { dtype: 'BOOL', shape: [2], data: Uint8Array.of(1, 0) },
    big: { shape: [2], data: BigInt64Array.of(3n, -4n) },
    none: { shape: [0], data: new Float32Array(0) },
  },
  { a: 'b' },
);

type Outcome = { ok: true; summary: string } | { ok: false; message: string };

function outcome(run: () => ReturnType<typeof decodeSafetensors>): Outcome {
  const before = process.memoryUsage().arrayBuffers;
  try {
    const c = run();
    // A successful read must be self-consistent.
    for (const [name, t] of Object.entries(c.tensors)) {
      const count = t.shape.reduce((a, b) => a * b, 1);
      if (t.data.length !== count) throw new Error(`inconsistent tensor ${name}`);
    }
    return { ok: true, summary: JSON.stringify(Object.entries(c.tensors).map(([n, t]) => [n, t.shape, Array.from(t.data)])) };
  } catch (e) {
    if (!(e instanceof SafetensorsError)) {
      throw new Error(`not a SafetensorsError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
    expect(e.message).toMatch(/^safetensors: /);
    return { ok: false, message: e.message };
  } finally {
    // Nothing a tiny file says may make the reader allocate much.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  }
}

function withLength(bytes: Uint8Array, length: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(0, length, true);
  return copy;
}

function withHeader(json: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const headerLength = Number(new DataView(base.buffer).getBigUint64(0, true));
const baseJson = Buffer.from(base.subarray(8, 8 + headerLength)).toString('utf8');
const baseData = base.subarray(8 + headerLength);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-fuzz-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the base file is valid', () => {
  expect(outcome(() => decodeSafetensors(base)).ok).toBe(true);
});

test('truncation at every length is an error, in memory and from a file', async () => {
  const file = path.join(dir, 'truncated.safetensors');
  for (let n = 0; n < base.length; n++) {
    const bytes = base.subarray(0, n);
    const r = outcome(() => decodeSafetensors(bytes));
    expect(r.ok).toBe(false);
    fs.writeFileSync(file, bytes);
    const fromFile = outcome(() => readSafetensorsSync(file));
    expect(fromFile.ok).toBe(false);
    if (n % 16 === 0) await expect(readSafetensors(file)).rejects.toBeInstanceOf(SafetensorsError);
  }
});

test('trailing bytes are an error', () => {
  for (let extra = 1; extra <= 16; extra++) {
    const bytes = new Uint8Array(base.length + extra);
    bytes.set(base);
    const r = outcome(() => decodeSafetensors(bytes));
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/bytes after the last tensor/) });
  }
});

test('huge and wrong header lengths', () => {
  const cases: Array<[bigint, RegExp]> = [
    [2n ** 64n - 1n, /exceeds the limit/],
    [2n ** 53n, /exceeds the limit/],
    [2n ** 32n, /exceeds the limit/],
    [100_000_001n, /exceeds the limit/],
    [100_000_000n, /runs past the end of the file/],
    [BigInt(base.length - 7), /runs past the end/],
    [0n, /too small|does not start/],
    [1n, /too small/],
    [BigInt(headerLength - 1), /JSON|UTF-8/],
    [BigInt(headerLength + 1), /JSON|UTF-8/],
  ];
  for (const [length, pattern] of cases) {
    const r = outcome(() => decodeSafetensors(withLength(base, length)));
    expect(r).toEqual({ ok: false, message: expect.stringMatching(pattern) });
  }
});

test('hostile headers give a named error', () => {
  const t = (fields: string) => `{"a":{${fields}}}`;
  const four = new Uint8Array(4);
  const cases: Array<[string | Uint8Array, RegExp, Uint8Array?]> = [
    ['[]', /does not start with '\{'/],
    [' {}', /does not start with '\{'/],
    ['{ ', /not valid JSON: expected '"' but the text ended/],
    ['{"a":', /not valid JSON: unexpected end of text/],
    ['{"a":1,}', /not valid JSON/],
    ['{}x', /not valid JSON.*after the value/],
    ['{"a":' + '['.repeat(5000), /nesting deeper than 64/],
    ['{"a":"\u0001"}', /control character/],
    ['{"a":"\\x"}', /bad escape/],
    ['{"a":1}', /tensor "a": entry must be an object/],
    [t('"dtype":"F32","shape":[1],"data_offsets":[0,4]') .replace('}}', '},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'), /duplicate key "a"/, four],
    [t('"shape":[1],"data_offsets":[0,4]'), /'dtype' must be a string/, four],
    [t('"dtype":"F33","shape":[1],"data_offsets":[0,4]'), /unknown or unsupported dtype "F33"/, four],
    [t('"dtype":"F32","shape":1,"data_offsets":[0,4]'), /'shape' must be an array/, four],
    [t('"dtype":"F32","shape":[-1],"data_offsets":[0,4]'), /shape\[0\] must be a non-negative integer/, four],
    [t('"dtype":"F32","shape":[1.5],"data_offsets":[0,4]'), /shape\[0\]/, four],
    [t('"dtype":"F32","shape":["1"],"data_offsets":[0,4]'), /shape\[0\]/, four],
    [t('"dtype":"F32","shape":[1e400],"data_offsets":[0,4]'), /shape\[0\]/, four],
    [t('"dtype":"F32","shape":[9007199254740993],"data_offsets":[0,4]'), /shape\[0\]/, four],
    [t('"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]'), /needs more than 4 bytes but data_offsets span 4/, four],
    [t('"dtype":"F32","shape":[2],"data_offsets":[0,4]'), /needs 8 bytes but data_offsets span 4/, four],
    [t('"dtype":"F32","shape":[0,4294967296],"data_offsets":[0,4]'), /needs 0 bytes/, four],
    [t('"dtype":"F32","shape":[1],"data_offsets":[0]'), /'data_offsets' must be an array \[begin, end\]/, four],
    [t('"dtype":"F32","shape":[1],"data_offsets":[4,0]'), /end 0 is before begin 4/, four],
    [t('"dtype":"F32","shape":[1],"data_offsets":[0,8]'), /run past the data section \(4 bytes\)/, four],
    [t('"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1'), /unknown field "extra"/, four],
    [t('"dtype":"F32","shape":[1],"data_offsets":[0,4]'), /2 bytes after the last tensor/, new Uint8Array(6)],
    ['{"__metadata__":{"a":1}}', /'__metadata__' entry "a" must be a string/],
    ['{"__metadata__":[]}', /'__metadata__' must be an object/],
    ['{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', /"__proto__".*|4 bytes after the last tensor/, new Uint8Array(8)],
    [Uint8Array.of(0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d), /not valid UTF-8/],
    // Overlaps and gaps.
    ['{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', /"a" \[0, 8\) and "b" \[4, 12\) overlap/, new Uint8Array(12)],
    ['{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', /overlap/, four],
    ['{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}', /gap of 4 bytes .* before tensor "b"/, new Uint8Array(12)],
    ['{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', /gap of 4 bytes/, new Uint8Array(8)],
    ['{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"z":{"dtype":"F32","shape":[0],"data_offsets":[8,8]}}', /overlap/, new Uint8Array(16)],
    ['{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}', /BOOL element 0 is 2/, Uint8Array.of(2)],
  ];
  for (const [header, pattern, data] of cases) {
    if (header instanceof Uint8Array) {
      const full = new Uint8Array(8 + header.length);
      new DataView(full.buffer).setBigUint64(0, BigInt(header.length), true);
      full.set(header, 8);
      expect(outcome(() => decodeSafetensors(full))).toEqual({ ok: false, message: expect.stringMatching(pattern) });
      continue;
    }
    const bytes = withHeader(header, data);
    const r = outcome(() => decodeSafetensors(bytes));
    expect({ header: header.slice(0, 120), r }).toEqual({ header: header.slice(0, 120), r: { ok: false, message: expect.stringMatching(pattern) } });
  }
});

test('zero-size tensors may share an offset with their neighbours', () => {
  const json = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}';
  const r = outcome(() => decodeSafetensors(withHeader(json, new Uint8Array(8))));
  expect(r.ok).toBe(true);
});

test('random byte flips and splices: a consistent result or a SafetensorsError', () => {
  const rng = new TestRandom(20260101);
  let errors = 0;
  let successes = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = base.slice();
    const flips = 1 + rng.int(0, 4);
    for (let f = 0; f < flips; f++) {
      const at = rng.next() < 0.7 ? rng.int(0, 8 + headerLength) : rng.int(0, bytes.length); // mostly in the header
      if (rng.next() < 0.5) bytes[at] ^= 1 << rng.int(0, 8);
      else bytes[at] = rng.int(0, 256);
    }
    const r = outcome(() => decodeSafetensors(bytes));
    if (r.ok) successes++;
    else errors++;
  }
  expect(errors).toBeGreaterThan(1000);
  expect(successes).toBeGreaterThan(10); // flips in the data section or harmless ones in the JSON
});

test('structured mutations of the JSON header', () => {
  const rng = new TestRandom(77);
  const tokens = ['0', '-1', '1.5', '1e9', '18446744073709551615', '"F32"', '"BF16"', '"I64"', '[]', '{}', 'null', 'true', '""', '[0,0]', '[1,2,3]', '"__metadata__"'];
  let cases = 0;
  for (let i = 0; i < 1500; i++) {
    // Replace one number, string or bracket of the header with another token.
    const spots = [...baseJson.matchAll(/-?\d+|"[^"]*"|\[|\]|\{|\}/g)];
    const spot = spots[rng.int(0, spots.length)];
    const mutated = baseJson.slice(0, spot.index!) + tokens[rng.int(0, tokens.length)] + baseJson.slice(spot.index! + spot[0].length);
    outcome(() => decodeSafetensors(withHeader(mutated, baseData)));
    cases++;
  }
  expect(cases).toBe(1500);
});

test('file and buffer readers agree on mutated files', async () => {
  const rng = new TestRandom(5);
  const file = path.join(dir, 'mutated.safetensors');
  for (let i = 0; i < 150; i++) {
    const bytes = base.slice();
    bytes[rng.int(0, bytes.length)] = rng.int(0, 256);
    fs.writeFileSync(file, bytes);
    const inMemory = outcome(() => decodeSafetensors(bytes, { source: file }));
    expect(outcome(() => readSafetensorsSync(file))).toEqual(inMemory);
    let fromAsync: Outcome;
    try {
      const c = await readSafetensors(file);
      fromAsync = outcome(() => c);
    } catch (e) {
      fromAsync = outcome(() => {
        throw e;
      });
    }
    expect(fromAsync).toEqual(inMemory);
  }
});

test('a header listing more tensors than any real checkpoint is refused before it is parsed', async () => {
  const entry = (i: number) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`;
  const many = (n: number) => withHeader(`{${Array.from({ length: n }, (_, i) => entry(i)).join(',')}}`);
  // 100,000 empty tensors are still accepted (the limit), one more is not.
  expect(Object.keys(decodeSafetensors(many(100_000)).tensors)).toHaveLength(100_000);
  expect(() => decodeSafetensors(many(100_001))).toThrow(/header lists more than 100000 tensors/);
  // From a file the header is read in chunks and counted as it comes: the read stops there too.
  const file = path.join(dir, 'many.safetensors');
  fs.writeFileSync(file, many(100_001));
  expect(() => readSafetensorsSync(file)).toThrow(/header lists more than 100000 tensors/);
  await expect(readSafetensors(file)).rejects.toThrow(/header lists more than 100000 tensors/);
  // Keys written with escapes reach the parser, and the count after parsing refuses them too.
  const escaped = (i: number) => `"t${i}":{"dtype":"F32","shape":[0],"data\\u005foffsets":[0,0]}`;
  const sneaky = withHeader(`{${Array.from({ length: 100_001 }, (_, i) => escaped(i)).join(',')}}`);
  expect(() => decodeSafetensors(sneaky)).toThrow(/header lists more than 100000 tensors/);
});
