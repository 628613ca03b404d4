/**
 * Reading and validating a safetensors header. The layout is
 *   [8-byte little-endian header length N][N bytes of UTF-8 JSON][data section]
 * where the JSON maps each tensor name to {dtype, shape, data_offsets: [begin, end]}
 * (byte offsets into the data section) plus an optional "__metadata__" map of
 * strings. Everything is checked before a single tensor byte is allocated:
 * the header length against a limit and the file size, the JSON syntax (no
 * duplicate keys), every field's type, and that the tensors tile the data
 * section exactly (no gaps, no overlaps, nothing past its end) with each
 * tensor's byte count equal to product(shape) · element size.
 */
import { DTYPE_BYTES, SafetensorsDtype, isSafetensorsDtype } from './dtypes';
import { SafetensorsError } from './errors';
import { JsonObject, JsonSyntaxError, JsonValue, parseStrictJson } from './strict-json';

/** Largest header accepted (the reference implementation uses the same bound). */
export const MAX_HEADER_BYTES = 100_000_000;
/** Most tensors one file may list (the largest real checkpoints list a few thousand a file). */
export const MAX_TENSORS = 100_000;

const DATA_OFFSETS_KEY = Buffer.from('"data_offsets"');

/**
 * Counts the tensors a header lists while its bytes arrive, and refuses it
 * once there are more than MAX_TENSORS: every entry needs a "data_offsets"
 * key, so counting them bounds the entries in one pass, where parsing a
 * hostile 100 MB header costs seconds and gigabytes, and a reader that feeds
 * it chunk by chunk stops reading early. (Keys spelt with escapes are caught
 * after parsing.)
 */
export class TensorCounter {
  private count = 0;
  private scanned = 0;
  constructor(private readonly source: string) {}

  /** Scans header[0, upTo) beyond what was scanned (keys across a chunk boundary are found once). */
  scan(header: Uint8Array, upTo: number): void {
    const bytes = Buffer.from(header.buffer, header.byteOffset, upTo);
    let at = bytes.indexOf(DATA_OFFSETS_KEY, Math.max(0, this.scanned - DATA_OFFSETS_KEY.length + 1));
    for (; at >= 0; at = bytes.indexOf(DATA_OFFSETS_KEY, at + DATA_OFFSETS_KEY.length)) {
      if (at + DATA_OFFSETS_KEY.length <= this.scanned) continue;
      if (++this.count > MAX_TENSORS) throw new SafetensorsError(this.source, `header lists more than ${MAX_TENSORS} tensors`);
    }
    this.scanned = upTo;
  }
}

export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range [begin, end) inside the data section. */
  begin: number;
  end: number;
  /** Number of elements (product of shape). */
  count: number;
}

export interface SafetensorsHeader {
  /** Tensors in the order the header lists them. */
  tensors: TensorEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
  /** Byte length of the data section. */
  dataLength: number;
}

/** The header length stored in the first 8 bytes, checked against the limit and the file size. */
export function readHeaderLength(prefix: Uint8Array, fileSize: number, source: string): number {
  if (fileSize < 8 || prefix.byteLength < 8) {
    throw new SafetensorsError(source, `file is ${fileSize} bytes, too short for the 8-byte header length`);
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + low;
  const shown = high ? `${BigInt(high) * 2n ** 32n + BigInt(low)}` : `${low}`;
  if (high !== 0 || length > MAX_HEADER_BYTES) {
    throw new SafetensorsError(source, `header length ${shown} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  if (length > fileSize - 8) {
    throw new SafetensorsError(source, `header length ${shown} runs past the end of the file (${fileSize} bytes)`);
  }
  if (length < 2) throw new SafetensorsError(source, `header length ${shown} is too small to hold a JSON object`);
  return length;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonNegativeInteger(v: JsonValue, what: string, source: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new SafetensorsError(source, `${what} must be a non-negative integer below 2^53, got ${JSON.stringify(v)}`);
  }
  return v === 0 ? 0 : v; // folds -0
}

function parseTensor(name: string, value: JsonValue, dataLength: number, source: string): TensorEntry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (!isObject(value)) throw new SafetensorsError(source, `${where}: entry must be an object`);
  for (const key of Object.keys(value)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') {
      throw new SafetensorsError(source, `${where}: unknown field ${JSON.stringify(key)}`);
    }
  }
  const dtype = value.dtype;
  if (typeof dtype !== 'string') throw new SafetensorsError(source, `${where}: 'dtype' must be a string`);
  if (!isSafetensorsDtype(dtype)) throw new SafetensorsError(source, `${where}: unknown or unsupported dtype ${JSON.stringify(dtype)}`);
  const shapeValue = value.shape;
  if (!Array.isArray(shapeValue)) throw new SafetensorsError(source, `${where}: 'shape' must be an array`);
  const shape = shapeValue.map((d, i) => nonNegativeInteger(d, `${where}: shape[${i}]`, source));
  const offsets = value.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new SafetensorsError(source, `${where}: 'data_offsets' must be an array [begin, end]`);
  }
  const begin = nonNegativeInteger(offsets[0], `${where}: data_offsets[0]`, source);
  const end = nonNegativeInteger(offsets[1], `${where}: data_offsets[1]`, source);
  if (end < begin) throw new SafetensorsError(source, `${where}: data_offsets end ${end} is before begin ${begin}`);
  if (end > dataLength) {
    throw new SafetensorsError(source, `${where}: data_offsets [${begin}, ${end}] run past the data section (${dataLength} bytes)`);
  }
  // Elements, stopping early (and saying so) once they could not fit the tensor's bytes: no overflow.
  const bytes = DTYPE_BYTES[dtype];
  const span = end - begin;
  let count = shape.includes(0) ? 0 : 1;
  let exact = true;
  for (let i = 0; i < shape.length && count !== 0; i++) {
    count *= shape[i];
    if (count * bytes > span && i < shape.length - 1) {
      exact = false;
      break;
    }
  }
  if (count * bytes !== span) {
    const need = exact ? `${count * bytes}` : `more than ${span}`;
    throw new SafetensorsError(source, `${where}: shape [${shape.join(', ')}] of ${dtype} needs ${need} bytes but data_offsets span ${span}`);
  }
  return { name, dtype, shape, begin, end, count };
}

function parseMetadata(value: JsonValue, source: string): Record<string, string> {
  if (!isObject(value)) throw new SafetensorsError(source, `'__metadata__' must be an object of strings`);
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new SafetensorsError(source, `'__metadata__' entry ${JSON.stringify(k)} must be a string`);
    out[k] = v;
  }
  return out;
}

/** Checks that the tensors tile [0, dataLength) exactly, in byte order. */
function checkLayout(tensors: TensorEntry[], dataLength: number, source: string): void {
  const byOffset = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: TensorEntry | undefined;
  for (const t of byOffset) {
    if (t.begin < position && previous) {
      throw new SafetensorsError(
        source,
        `tensors ${JSON.stringify(previous.name)} [${previous.begin}, ${previous.end}) and ${JSON.stringify(t.name)} [${t.begin}, ${t.end}) overlap`,
      );
    }
    if (t.begin > position) {
      throw new SafetensorsError(source, `gap of ${t.begin - position} bytes in the data section before tensor ${JSON.stringify(t.name)}`);
    }
    position = t.end;
    previous = t;
  }
  if (position !== dataLength) {
    throw new SafetensorsError(source, `data section has ${dataLength - position} bytes after the last tensor (${dataLength} in all)`);
  }
}

/** Parses and validates the header's bytes; `dataLength` is the size of the data section that follows it. */
export function parseHeader(headerBytes: Uint8Array, dataLength: number, source: string): SafetensorsHeader {
  if (headerBytes[0] !== 0x7b) throw new SafetensorsError(source, `header does not start with '{'`);
  new TensorCounter(source).scan(headerBytes, headerBytes.byteLength);
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch {
    throw new SafetensorsError(source, 'header is not valid UTF-8');
  }
  let json: JsonValue;
  try {
    json = parseStrictJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new SafetensorsError(source, `header is not valid JSON: ${e.message}`);
    throw e;
  }
  if (!isObject(json)) throw new SafetensorsError(source, 'header must be a JSON object');
  const tensors: TensorEntry[] = [];
  let metadata: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(value, source);
    else tensors.push(parseTensor(name, value, dataLength, source));
    if (tensors.length > MAX_TENSORS) throw new SafetensorsError(source, `header lists more than ${MAX_TENSORS} tensors`);
  }
  checkLayout(tensors, dataLength, source);
  return { tensors, metadata, dataStart: 8 + headerBytes.byteLength, dataLength };
}
