/**
 * Writing the safetensors layout: the 8-byte little-endian header length, the
 * JSON header (padded with spaces so the data section starts 8-byte aligned)
 * and the tensors' little-endian bytes, contiguous in the order given, with
 * offsets relative to the data section. The data chunks are views of the
 * caller's arrays where the bytes already have the right form, so a large
 * model is not copied on its way to disk.
 */
import { DTYPE_BYTES, HOST_IS_LITTLE_ENDIAN, SafetensorsDtype, WritableArray, defaultDtypeOf, isSafetensorsDtype } from './dtypes';
import { floatToBfloat16Bits, floatToHalfBits } from './half';
import { swapBytes } from './convert';

/** A dtype as the writer accepts it: a safetensors name, or dendrite's 'float32' / 'int32'. */
export type WritableDtype = SafetensorsDtype | 'float32' | 'int32';

export interface TensorToWrite {
  /** Defaults to the dtype of the array (Float32Array → F32, Int32Array → I32, ...). */
  dtype?: WritableDtype;
  shape: readonly number[];
  /**
   * Elements in row-major order. F16 and BF16 take a Float32Array (rounded to
   * nearest even) or a Uint16Array of raw bits; F8_* take raw bits in a Uint8Array;
   * I64 also takes an Int32Array (widened).
   */
  data: WritableArray;
}

function fileDtypeOf(dtype: WritableDtype | undefined, data: WritableArray): SafetensorsDtype {
  if (dtype === undefined) return defaultDtypeOf(data);
  if (dtype === 'float32') return 'F32';
  if (dtype === 'int32') return 'I32';
  if (!isSafetensorsDtype(dtype)) throw new TypeError(`safetensors: unknown dtype ${JSON.stringify(dtype)}`);
  return dtype;
}

// Which arrays each dtype can be written from.
const ACCEPTS: Record<SafetensorsDtype, Array<new (n: number) => WritableArray>> = {
  F32: [Float32Array], F64: [Float64Array], I32: [Int32Array], I16: [Int16Array], I8: [Int8Array],
  U8: [Uint8Array], BOOL: [Uint8Array], U16: [Uint16Array], U32: [Uint32Array], U64: [BigUint64Array],
  I64: [BigInt64Array, Int32Array], F16: [Float32Array, Uint16Array], BF16: [Float32Array, Uint16Array],
  F8_E4M3: [Uint8Array], F8_E5M2: [Uint8Array],
};

function littleEndianBytes(array: WritableArray): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (HOST_IS_LITTLE_ENDIAN || array.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, array.BYTES_PER_ELEMENT);
  return copy;
}

/** The bytes `data` is stored as for `dtype` (converted where the dtype asks for it). */
function tensorBytes(name: string, dtype: SafetensorsDtype, data: WritableArray): Uint8Array {
  if (!ACCEPTS[dtype].some((ctor) => data instanceof ctor)) {
    const names = ACCEPTS[dtype].map((c) => c.name).join(' or ');
    throw new TypeError(`safetensors: tensor ${JSON.stringify(name)}: dtype ${dtype} needs a ${names}, got ${data?.constructor?.name ?? typeof data}`);
  }
  if ((dtype === 'F16' || dtype === 'BF16') && data instanceof Float32Array) {
    const toBits = dtype === 'F16' ? floatToHalfBits : floatToBfloat16Bits;
    const bits = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) bits[i] = toBits(data[i]);
    return littleEndianBytes(bits);
  }
  if (dtype === 'I64' && data instanceof Int32Array) return littleEndianBytes(BigInt64Array.from(data, (v) => BigInt(v)));
  if (dtype === 'BOOL') {
    const i = (data as Uint8Array).findIndex((v) => v > 1);
    if (i >= 0) throw new RangeError(`safetensors: tensor ${JSON.stringify(name)}: BOOL element ${i} is ${data[i]}, not 0 or 1`);
  }
  return littleEndianBytes(data);
}

function checkShape(name: string, shape: readonly number[], length: number): void {
  if (!Array.isArray(shape)) throw new TypeError(`safetensors: tensor ${JSON.stringify(name)}: shape must be an array`);
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`safetensors: tensor ${JSON.stringify(name)}: bad shape [${shape.join(', ')}]`);
    count *= d;
  }
  if (count !== length) {
    throw new RangeError(`safetensors: tensor ${JSON.stringify(name)}: shape [${shape.join(', ')}] holds ${count} elements but data has ${length}`);
  }
}

/** The header chunk followed by one chunk per tensor: the file's bytes, in order. */
export function encodeSafetensorsChunks(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array[] {
  if (typeof tensors !== 'object' || tensors === null) throw new TypeError('safetensors: tensors must be an object of {dtype, shape, data}');
  const parts: string[] = [];
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null) throw new TypeError('safetensors: metadata must be an object of strings');
    const entries = Object.entries(metadata).map(([k, v]) => {
      if (typeof v !== 'string') throw new TypeError(`safetensors: metadata entry ${JSON.stringify(k)} must be a string`);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    });
    parts.push(`"__metadata__":{${entries.join(',')}}`);
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new RangeError("safetensors: '__metadata__' is reserved and cannot name a tensor");
    if (typeof t !== 'object' || t === null) throw new TypeError(`safetensors: tensor ${JSON.stringify(name)} must be {dtype, shape, data}`);
    const dtype = fileDtypeOf(t.dtype, t.data);
    checkShape(name, t.shape, t.data?.length);
    const bytes = tensorBytes(name, dtype, t.data);
    if (bytes.byteLength !== t.data.length * DTYPE_BYTES[dtype]) throw new Error(`safetensors: internal size mismatch for ${name}`);
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + bytes.byteLength}]}`);
    offset += bytes.byteLength;
    chunks.push(bytes);
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const header = new Uint8Array(8 + padded).fill(0x20, 8 + json.byteLength);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, 8);
  return [header, ...chunks];
}

/** The whole file as one buffer. */
export function encodeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const chunks = encodeSafetensorsChunks(tensors, metadata);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
