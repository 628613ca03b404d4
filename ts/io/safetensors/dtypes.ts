/** The element types of the safetensors format and how dendrite holds each in memory. */

/** Every dtype name the format defines with a whole-byte element size. */
export const SAFETENSORS_DTYPES = [
  'BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64',
] as const;
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** Dtypes that read as float32 (the rest read as int32). */
const FLOAT_DTYPES: ReadonlySet<SafetensorsDtype> = new Set(['F8_E5M2', 'F8_E4M3', 'F16', 'BF16', 'F32', 'F64']);

export function isSafetensorsDtype(name: string): name is SafetensorsDtype {
  return Object.prototype.hasOwnProperty.call(DTYPE_BYTES, name);
}

/** 'float32' or 'int32': the in-memory type a tensor of `dtype` is read into. */
export function memoryDtypeOf(dtype: SafetensorsDtype): 'float32' | 'int32' {
  return FLOAT_DTYPES.has(dtype) ? 'float32' : 'int32';
}

/** Typed arrays the writer accepts, and the dtype each one is written as when none is given. */
export type WritableArray =
  | Float32Array | Float64Array | Int32Array | Int16Array | Int8Array
  | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

export function defaultDtypeOf(data: WritableArray): SafetensorsDtype {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array) return 'U8';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Uint32Array) return 'U32';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof BigUint64Array) return 'U64';
  throw new TypeError('safetensors: tensor data must be a typed array');
}

/** True when this machine stores numbers little-endian, as the format does. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
