/**
 * The IDX format of MNIST and its relatives, in memory:
 *   bytes 0-1  zero
 *   byte  2    element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte  3    number of dimensions d
 *   then d big-endian uint32 sizes, then the elements, big-endian, row-major.
 * Decoding checks every part of the header and that the data is exactly as
 * long as the sizes say before allocating anything.
 */
import { IdxArray, ShapedArray, checkShape, productOf } from './arrays';

export class IdxFormatError extends Error {
  constructor(readonly source: string, problem: string) {
    super(`idx: ${source}: ${problem}`);
    this.name = 'IdxFormatError';
  }
}

interface IdxType {
  code: number;
  name: string;
  bytes: number;
  make: (n: number) => IdxArray;
  read: (view: DataView, offset: number) => number;
  write: (view: DataView, offset: number, value: number) => void;
}

const TYPES: IdxType[] = [
  { code: 0x08, name: 'uint8', bytes: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o), write: (v, o, x) => v.setUint8(o, x) },
  { code: 0x09, name: 'int8', bytes: 1, make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o), write: (v, o, x) => v.setInt8(o, x) },
  { code: 0x0b, name: 'int16', bytes: 2, make: (n) => new Int16Array(n), read: (v, o) => v.getInt16(o), write: (v, o, x) => v.setInt16(o, x) },
  { code: 0x0c, name: 'int32', bytes: 4, make: (n) => new Int32Array(n), read: (v, o) => v.getInt32(o), write: (v, o, x) => v.setInt32(o, x) },
  { code: 0x0d, name: 'float32', bytes: 4, make: (n) => new Float32Array(n), read: (v, o) => v.getFloat32(o), write: (v, o, x) => v.setFloat32(o, x) },
  { code: 0x0e, name: 'float64', bytes: 8, make: (n) => new Float64Array(n), read: (v, o) => v.getFloat64(o), write: (v, o, x) => v.setFloat64(o, x) },
];

function typeOfArray(data: IdxArray): IdxType {
  const byClass: Array<[new (n: number) => IdxArray, number]> = [
    [Uint8Array, 0x08], [Int8Array, 0x09], [Int16Array, 0x0b], [Int32Array, 0x0c], [Float32Array, 0x0d], [Float64Array, 0x0e],
  ];
  for (const [ctor, code] of byClass) if (data instanceof ctor) return TYPES.find((t) => t.code === code)!;
  throw new TypeError('idx: data must be a Uint8Array, Int8Array, Int16Array, Int32Array, Float32Array or Float64Array');
}

export interface IdxHeader {
  typeName: string;
  elementBytes: number;
  shape: number[];
  /** Bytes before the data (4 + 4·dimensions). */
  headerBytes: number;
  /** Bytes of data the shape calls for (exact, however large a corrupt header makes it). */
  dataBytes: bigint;
}

/** Reads and checks the header at the start of `bytes` (the data after it is not checked here). */
export function parseIdxHeader(bytes: Uint8Array, source: string): IdxHeader {
  if (bytes.length < 4) throw new IdxFormatError(source, `file is ${bytes.length} bytes, too short for the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    throw new IdxFormatError(source, `bad magic number 0x${magic}: an IDX file starts with two zero bytes`);
  }
  const type = TYPES.find((t) => t.code === bytes[2]);
  if (!type) throw new IdxFormatError(source, `unknown element type code 0x${bytes[2].toString(16).padStart(2, '0')} (expected 08, 09, 0B, 0C, 0D or 0E)`);
  const dims = bytes[3];
  if (dims === 0) throw new IdxFormatError(source, 'header declares 0 dimensions');
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(source, `header declares ${dims} dimensions (${headerBytes} header bytes) but the file ends after ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i));
  const dataBytes = shape.reduce((n, d) => n * BigInt(d), BigInt(type.bytes));
  return { typeName: type.name, elementBytes: type.bytes, shape, headerBytes, dataBytes };
}

/** Decodes a whole (uncompressed) IDX file. */
export function decodeIdx(bytes: Uint8Array, source = '<buffer>'): ShapedArray<IdxArray> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('idx: expected the file contents as a Uint8Array or Buffer');
  const header = parseIdxHeader(bytes, source);
  const dataAvailable = bytes.length - header.headerBytes;
  if (header.dataBytes !== BigInt(dataAvailable)) {
    throw new IdxFormatError(
      source,
      `dimensions [${header.shape.join(', ')}] of ${header.typeName} need ${header.dataBytes} bytes of data but the file has ${dataAvailable}`,
    );
  }
  const type = TYPES.find((t) => t.name === header.typeName)!;
  const count = dataAvailable / type.bytes;
  const data = type.make(count);
  const body = bytes.subarray(header.headerBytes);
  if (type.bytes === 1) {
    new Uint8Array(data.buffer).set(body);
  } else {
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    for (let i = 0; i < count; i++) data[i] = type.read(view, i * type.bytes);
  }
  return { shape: header.shape, data };
}

/** Encodes an array as an (uncompressed) IDX file; the element type follows the array's class. */
export function encodeIdx(array: ShapedArray<IdxArray>): Uint8Array {
  const { shape, data } = array;
  const type = typeOfArray(data);
  checkShape(shape, data.length, 'idx');
  if (shape.length < 1 || shape.length > 255) throw new RangeError(`idx: needs 1 to 255 dimensions, got ${shape.length}`);
  for (const d of shape) if (d > 0xffffffff) throw new RangeError(`idx: dimension ${d} does not fit the header's uint32`);
  const headerBytes = 4 + 4 * shape.length;
  const out = new Uint8Array(headerBytes + productOf(shape) * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = type.code;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  if (type.bytes === 1) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), headerBytes);
  else for (let i = 0; i < data.length; i++) type.write(view, headerBytes + i * type.bytes, data[i]);
  return out;
}
