/** Reading a whole safetensors file that is already in memory. */
import { memoryDtypeOf, SafetensorsDtype } from './dtypes';
import { SafetensorsError } from './errors';
import { rejectUnknownOptions } from '../../options';
import { LoadedArray, convertTensorBytes } from './convert';
import { SafetensorsHeader, parseHeader, readHeaderLength } from './header';

/** One tensor as read: float32 or int32 data, whatever its dtype in the file. */
export interface LoadedTensor {
  dtype: 'float32' | 'int32';
  /** The dtype stored in the file (e.g. 'F16' for a tensor read as float32). */
  fileDtype: SafetensorsDtype;
  shape: number[];
  data: LoadedArray;
}

export interface SafetensorsContents {
  /** Tensors by name (an object without prototype, in header order). */
  tensors: Record<string, LoadedTensor>;
  /** The header's "__metadata__" strings ({} when absent). */
  metadata: Record<string, string>;
}

export interface DecodeOptions {
  /** Name used in error messages (default '<buffer>'). */
  source?: string;
}

/** Parses and validates the header of an in-memory file without converting any tensor. */
export function decodeSafetensorsHeader(bytes: Uint8Array, options: DecodeOptions = {}): SafetensorsHeader {
  rejectUnknownOptions(options, ['source'], 'decodeSafetensorsHeader');
  const source = options.source ?? '<buffer>';
  if (!(bytes instanceof Uint8Array)) throw new TypeError('safetensors: expected the file contents as a Uint8Array or Buffer');
  const headerLength = readHeaderLength(bytes, bytes.byteLength, source);
  return parseHeader(bytes.subarray(8, 8 + headerLength), bytes.byteLength - 8 - headerLength, source);
}

export function contentsFrom(header: SafetensorsHeader, bytesOf: (begin: number, end: number) => Uint8Array, source: string): SafetensorsContents {
  const tensors: Record<string, LoadedTensor> = Object.create(null);
  for (const t of header.tensors) {
    tensors[t.name] = {
      dtype: memoryDtypeOf(t.dtype),
      fileDtype: t.dtype,
      shape: t.shape,
      data: convertTensorBytes(t.name, t.dtype, bytesOf(t.begin, t.end), t.count, source),
    };
  }
  return { tensors, metadata: header.metadata };
}

/** Reads every tensor of an in-memory safetensors file (strictly validated; see header.ts). */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): SafetensorsContents {
  rejectUnknownOptions(options, ['source'], 'decodeSafetensors');
  const source = options.source ?? '<buffer>';
  const header = decodeSafetensorsHeader(bytes, options);
  return contentsFrom(header, (b, e) => bytes.subarray(header.dataStart + b, header.dataStart + e), source);
}

export { SafetensorsError };
