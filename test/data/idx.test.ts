import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { IdxFormatError, decodeIdx, decodeIdxFile, encodeIdx, readIdx, readIdxSync, writeIdx, writeIdxSync } from '../../ts/data';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-idx-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const arrays = [
  { shape: [3, 2], data: Uint8Array.of(0, 1, 127, 128, 254, 255) },
  { shape: [4], data: Int8Array.of(-128, -1, 0, 127) },
  { shape: [2, 1, 2], data: Int16Array.of(-32768, -2, 3, 32767) },
  { shape: [3], data: Int32Array.of(-(2 ** 31), 5, 2 ** 31 - 1) },
  { shape: [1, 3], data: Float32Array.of(-1.5, Math.fround(0.1), Infinity) },
  { shape: [2], data: Float64Array.of(0.1, -1e300) },
  { shape: [0, 28, 28], data: new Uint8Array(0) },
];

describe('round trips', () => {
  test('in memory: every element type', () => {
    for (const a of arrays) {
      const back = decodeIdx(encodeIdx(a));
      expect(back.shape).toEqual(a.shape);
      expect(back.data.constructor).toBe(a.data.constructor);
      expect(Array.from(back.data)).toEqual(Array.from(a.data));
    }
  });

  test('the header is big-endian as the format says', () => {
    const bytes = encodeIdx({ shape: [2, 1], data: Int16Array.of(0x0102, -2) });
    expect(Array.from(bytes)).toEqual([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x01, 0x02, 0xff, 0xfe]);
  });

  test('files: raw and gzip, sync and async', async () => {
    for (const [i, a] of arrays.entries()) {
      for (const name of [`a${i}.idx`, `a${i}.idx.gz`]) {
        const file = path.join(dir, name);
        writeIdxSync(file, a);
        expect(fs.readFileSync(file)[0] === 0x1f).toBe(name.endsWith('.gz'));
        expect(Array.from(readIdxSync(file).data)).toEqual(Array.from(a.data));
        await writeIdx(file, a);
        const back = await readIdx(file);
        expect(back.shape).toEqual(a.shape);
        expect(Array.from(back.data)).toEqual(Array.from(a.data));
      }
    }
    // gzip is detected by content, not by name.
    const hidden = path.join(dir, 'no-extension');
    writeIdxSync(hidden, arrays[0], { gzip: true });
    expect(Array.from(readIdxSync(hidden).data)).toEqual(Array.from(arrays[0].data));
  });

  test('the writer checks its input', () => {
    expect(() => encodeIdx({ shape: [3], data: new Uint8Array(2) })).toThrow(/holds 3 elements but the data has 2/);
    expect(() => encodeIdx({ shape: [], data: new Uint8Array(1) })).toThrow(/1 to 255 dimensions/);
    expect(() => encodeIdx({ shape: [2], data: new Uint16Array(2) as never })).toThrow(TypeError);
  });
});

describe('corrupt files give an error naming the file and the problem', () => {
  const good = encodeIdx({ shape: [2, 3], data: new Uint8Array(6) });
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['empty', new Uint8Array(0), /0 bytes, too short for the 4-byte magic number/],
    ['bad magic', Uint8Array.of(0x50, 0x4b, 3, 4, 0, 0), /bad magic number 0x504b0304/],
    ['unknown type', Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 0), /unknown element type code 0x0a/],
    ['no dimensions', Uint8Array.of(0, 0, 8, 0), /0 dimensions/],
    ['truncated header', good.subarray(0, 9), /declares 2 dimensions \(12 header bytes\) but the file ends after 9 bytes/],
    ['short data', good.subarray(0, good.length - 1), /dimensions \[2, 3\] of uint8 need 6 bytes of data but the file has 5/],
    ['extra data', Uint8Array.from([...good, 0]), /need 6 bytes of data but the file has 7/],
    ['huge dims', Uint8Array.of(0, 0, 0x0e, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3), /\[4294967295, 4294967295, 4294967295\] of float64 need 633825299671392843082401579000 bytes of data but the file has 3/],
  ];
  test.each(cases)('%s', (_, bytes, pattern) => {
    const file = path.join(dir, 'corrupt.idx');
    fs.writeFileSync(file, bytes);
    expect(() => readIdxSync(file)).toThrow(IdxFormatError);
    expect(() => readIdxSync(file)).toThrow(new RegExp(`^idx: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${pattern.source}`));
    // The same inside gzip (where too much data is caught while inflating).
    fs.writeFileSync(file, zlib.gzipSync(bytes));
    expect(() => readIdxSync(file)).toThrow(new RegExp(`${pattern.source}|inflates to more than|byte limit`));
  });

  test('corrupt gzip streams', async () => {
    const gz = zlib.gzipSync(encodeIdx({ shape: [1000], data: new Uint8Array(1000).fill(7) }));
    const file = path.join(dir, 'corrupt.gz');
    const flipped = Uint8Array.from(gz);
    flipped[gz.length - 6] ^= 0xff; // the CRC
    fs.writeFileSync(file, flipped);
    expect(() => readIdxSync(file)).toThrow(/corrupt gzip data/);
    await expect(readIdx(file)).rejects.toThrow(/corrupt gzip data/);
    fs.writeFileSync(file, gz.subarray(0, gz.length - 10));
    expect(() => readIdxSync(file)).toThrow(/corrupt gzip data/);
    fs.writeFileSync(file, gz.subarray(0, 5));
    expect(() => readIdxSync(file)).toThrow(IdxFormatError);
  });

  test('a stream that inflates past what its header declares stops there', async () => {
    // Header says 10 bytes, followed by 50 MB of zeros (compresses to ~50 KB).
    const header = encodeIdx({ shape: [10], data: new Uint8Array(10) });
    const bomb = zlib.gzipSync(Buffer.concat([header, Buffer.alloc(50 * 1024 * 1024)]));
    const file = path.join(dir, 'bomb.gz');
    fs.writeFileSync(file, bomb);
    expect(() => readIdxSync(file)).toThrow(/inflates to more than the 18 bytes its header declares/);
    await expect(readIdx(file)).rejects.toThrow(/inflates to more than/);
  });

  test('a header declaring more than maxBytes is refused before inflating', () => {
    const header = Uint8Array.of(0, 0, 0x0d, 2, 0, 1, 0, 0, 0, 1, 0, 0); // float32 [65536, 65536]: 16 GiB
    expect(() => decodeIdxFile(zlib.gzipSync(header), 'big.gz')).toThrow(/idx: big.gz: header declares \[65536, 65536\] of float32, more than the 4294967296-byte limit/);
    const small = zlib.gzipSync(encodeIdx({ shape: [100], data: new Uint8Array(100) }));
    expect(() => decodeIdxFile(small, 'x.gz', { maxBytes: 50 })).toThrow(/more than the 50-byte limit/);
  });
});
