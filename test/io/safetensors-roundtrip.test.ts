import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  SafetensorsError, decodeSafetensors, decodeSafetensorsHeader, encodeSafetensors, encodeSafetensorsChunks,
  readSafetensors, readSafetensorsSync, writeSafetensors, writeSafetensorsSync,
  bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat,
} from '../../ts/io';
import { TestRandom } from '../support/random';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-safetensors-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('round trips', () => {
  const rng = new TestRandom(3);
  const tensors = {
    'layer.0.weight': { shape: [7, 13], data: rng.float32(91) },
    'layer.0.bias': { dtype: 'float32' as const, shape: [13], data: rng.float32(13) },
    labels: { dtype: 'int32' as const, shape: [2, 3], data: Int32Array.from([0, -5, 7, 2 ** 31 - 1, -(2 ** 31), 3]) },
    empty: { shape: [3, 0], data: new Float32Array(0) },
    scalar: { shape: [], data: Float32Array.of(Math.PI) },
    ['__proto__']: { shape: [1], data: Float32Array.of(1) }, // an own key, not the prototype
    '7': { shape: [2], data: Int32Array.of(1, 2) },
    'ünïcødé ✓': { shape: [1], data: Float32Array.of(-0) },
  };
  const metadata = { format: 'pt', note: 'quotes " and \\ and\nnewlines' };

  function check(contents: ReturnType<typeof decodeSafetensors>) {
    expect(Object.keys(contents.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = contents.tensors[name];
      expect(got.shape).toEqual(t.shape);
      expect(got.data.constructor).toBe(t.data.constructor);
      expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength)).toEqual(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    }
    expect({ ...contents.metadata }).toEqual(metadata);
  }

  test('buffer', () => {
    const bytes = encodeSafetensors(tensors, metadata);
    check(decodeSafetensors(bytes));
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
  });

  test('file, sync and async', async () => {
    const file = path.join(dir, 'model.safetensors');
    await writeSafetensors(file, tensors, metadata);
    check(await readSafetensors(file));
    check(readSafetensorsSync(file));
    writeSafetensorsSync(file, tensors, metadata);
    check(readSafetensorsSync(file));
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });

  test('layout: aligned data section, contiguous offsets in the order given', () => {
    const bytes = encodeSafetensors(tensors, metadata);
    const header = decodeSafetensorsHeader(bytes);
    expect(header.dataStart % 8).toBe(0);
    expect(bytes[header.dataStart - 1] === 0x20 || bytes[header.dataStart - 1] === 0x7d).toBe(true);
    let offset = 0;
    for (const t of header.tensors) {
      expect(t.begin).toBe(offset);
      offset = t.end;
    }
    expect(offset).toBe(header.dataLength);
    // Header order is the insertion order (bar integer-like keys, which JS objects list first).
    expect(header.tensors.map((t) => t.name)).toEqual(['7', 'layer.0.weight', 'layer.0.bias', 'labels', 'empty', 'scalar', '__proto__', 'ünïcødé ✓']);
  });

  test('chunks are views of the caller arrays for F32/I32 (no copy)', () => {
    const w = new Float32Array(1000);
    const chunks = encodeSafetensorsChunks({ w: { shape: [1000], data: w } });
    expect(chunks[1].buffer).toBe(w.buffer);
  });

  test('an empty file of tensors', () => {
    const contents = decodeSafetensors(encodeSafetensors({}));
    expect(Object.keys(contents.tensors)).toEqual([]);
    expect(Object.keys(contents.metadata)).toEqual([]);
  });

  test('every other dtype', () => {
    const bytes = encodeSafetensors({
      f64: { shape: [3], data: Float64Array.of(0.1, -1e300, 2.5) },
      i64: { shape: [2], data: BigInt64Array.of(-5n, 2147483647n) },
      i64w: { dtype: 'I64', shape: [2], data: Int32Array.of(-3, 4) },
      u64: { shape: [1], data: BigUint64Array.of(9n) },
      u32: { shape: [2], data: Uint32Array.of(0, 2147483647) },
      u8: { shape: [2], data: Uint8Array.of(0, 255) },
      i8: { shape: [2], data: Int8Array.of(-128, 127) },
      i16: { shape: [2], data: Int16Array.of(-32768, 32767) },
      u16: { shape: [2], data: Uint16Array.of(0, 65535) },
      bool: { dtype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) },
      f16: { dtype: 'F16', shape: [4], data: Float32Array.of(1, -2.5, 1e-8, 70000) },
      bf16: { dtype: 'BF16', shape: [2], data: Float32Array.of(1.00390625, -3) },
      f16bits: { dtype: 'F16', shape: [1], data: Uint16Array.of(0x3c00) },
      e4m3: { dtype: 'F8_E4M3', shape: [4], data: Uint8Array.of(0x38, 0x7e, 0x01, 0xff) },
      e5m2: { dtype: 'F8_E5M2', shape: [3], data: Uint8Array.of(0x3c, 0x7c, 0xfb) },
    });
    const t = decodeSafetensors(bytes).tensors;
    const values = (name: string) => Array.from(t[name].data);
    expect(values('f64')).toEqual([Math.fround(0.1), -Infinity, 2.5]);
    expect(t.f64.dtype).toBe('float32');
    expect(values('i64')).toEqual([-5, 2147483647]);
    expect(values('i64w')).toEqual([-3, 4]);
    expect(t.i64w.fileDtype).toBe('I64');
    expect(values('u64')).toEqual([9]);
    expect(values('u32')).toEqual([0, 2147483647]);
    expect(values('u8')).toEqual([0, 255]);
    expect(values('i8')).toEqual([-128, 127]);
    expect(values('i16')).toEqual([-32768, 32767]);
    expect(values('u16')).toEqual([0, 65535]);
    expect(values('bool')).toEqual([1, 0, 1]);
    expect(values('f16')).toEqual([1, -2.5, halfBitsToFloat(floatToHalfBits(1e-8)), Infinity]);
    expect(values('bf16')).toEqual([1, -3]); // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: the even one wins
    expect(values('f16bits')).toEqual([1]);
    expect(values('e4m3')).toEqual([1, 448, 2 ** -9, NaN]);
    expect(values('e5m2')).toEqual([1, Infinity, -57344]);
  });

  test('integers that do not fit int32 are an error naming the tensor and element', () => {
    const big = encodeSafetensors({ ok: { shape: [1], data: Int32Array.of(1) }, wide: { shape: [3], data: BigInt64Array.of(1n, 2n, 2n ** 40n) } });
    expect(() => decodeSafetensors(big)).toThrow(/tensor "wide": element 2 \(1099511627776\) does not fit in int32/);
    const u32 = encodeSafetensors({ u: { shape: [1], data: Uint32Array.of(2 ** 31) } });
    expect(() => decodeSafetensors(u32)).toThrow(SafetensorsError);
  });
});

describe('writer argument checks', () => {
  test('shape must match the data', () => {
    expect(() => encodeSafetensors({ a: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(/shape \[2, 2\] holds 4 elements but data has 3/);
    expect(() => encodeSafetensors({ a: { shape: [-1], data: new Float32Array(0) } })).toThrow(/bad shape/);
    expect(() => encodeSafetensors({ a: { shape: [1.5], data: new Float32Array(0) } })).toThrow(RangeError);
  });
  test('dtype must fit the array', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'I32', shape: [1], data: new Float32Array(1) } })).toThrow(/dtype I32 needs a Int32Array, got Float32Array/);
    expect(() => encodeSafetensors({ a: { dtype: 'Q4' as never, shape: [1], data: new Float32Array(1) } })).toThrow(/unknown dtype "Q4"/);
    expect(() => encodeSafetensors({ a: { dtype: 'BOOL', shape: [1], data: Uint8Array.of(2) } })).toThrow(/not 0 or 1/);
  });
  test('reserved name and metadata types', () => {
    expect(() => encodeSafetensors({ __metadata__: { shape: [1], data: new Float32Array(1) } })).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { a: 1 as unknown as string })).toThrow(/metadata entry "a" must be a string/);
  });
});

describe('half-precision conversions', () => {
  test('every F16 bit pattern survives float32 and back', () => {
    let mismatches = 0;
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = halfBitsToFloat(bits);
      const back = floatToHalfBits(v);
      if (Number.isNaN(v) ? (back & 0x7c00) !== 0x7c00 || (back & 0x3ff) === 0 : back !== bits) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
  test('F16 rounding is to nearest, ties to even', () => {
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie, even stays
    expect(floatToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, rounds up to even
    expect(floatToHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(floatToHalfBits(65520)).toBe(0x7c00); // rounds past the largest finite half
    expect(floatToHalfBits(65519)).toBe(0x7bff);
    expect(floatToHalfBits(2 ** -25)).toBe(0); // tie with zero: even
    expect(floatToHalfBits(2 ** -25 + 2 ** -35)).toBe(1);
    expect(floatToHalfBits(-0)).toBe(0x8000);
  });
  test('F16 of random floats is the nearest half', () => {
    const rng = new TestRandom(9);
    for (let i = 0; i < 2000; i++) {
      const v = Math.fround(rng.uniform(-65504, 65504) * 2 ** rng.int(-30, 1));
      const h = halfBitsToFloat(floatToHalfBits(v));
      // No half lies strictly closer than the one chosen.
      const bits = floatToHalfBits(v);
      for (const other of [bits - 1, bits + 1]) {
        if ((other & 0x7c00) === 0x7c00 || other < 0 || (other & 0x7fff) === 0x7fff) continue;
        expect(Math.abs(halfBitsToFloat(other) - v)).toBeGreaterThanOrEqual(Math.abs(h - v));
      }
    }
  });
  test('BF16 every bit pattern and ties', () => {
    for (let bits = 0; bits < 0x10000; bits += 7) {
      const v = bfloat16BitsToFloat(bits);
      if (!Number.isNaN(v)) expect(floatToBfloat16Bits(v)).toBe(bits);
    }
    expect(floatToBfloat16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(floatToBfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(Number.isNaN(bfloat16BitsToFloat(floatToBfloat16Bits(NaN)))).toBe(true);
  });
});
