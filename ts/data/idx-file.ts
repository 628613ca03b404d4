/** IDX files on disk, gzip-compressed (detected by the magic bytes 1f 8b) or raw. */
import * as zlib from 'zlib';
import { promisify } from 'util';
import { IdxArray, ShapedArray } from './arrays';
import { IdxFormatError, decodeIdx, encodeIdx, parseIdxHeader } from './idx';
import { gunzipBounded, gunzipBoundedSync, gunzipPrefix, isGzip } from './gzip';
import { writeFileAtomic, writeFileAtomicSync } from '../io/atomic-write';
import { readRegularFile, readRegularFileSync } from '../io/regular-file';
import { rejectUnknownOptions } from '../options';

const gzipAsync = promisify(zlib.gzip) as (buf: Uint8Array, options: zlib.ZlibOptions) => Promise<Buffer>;

export interface ReadIdxOptions {
  /** Largest file and decompressed size accepted, in bytes (default 4 GiB). */
  maxBytes?: number;
}

export interface WriteIdxOptions {
  /** Compress with gzip (default: when the path ends in .gz). */
  gzip?: boolean;
  /** gzip level 0-9 (default 9). */
  level?: number;
}

const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
const READ_OPTIONS = ['maxBytes'];

/** Size a gzip stream must inflate to, from its header (checked against the cap). */
function expectedInflatedSize(compressed: Uint8Array, source: string, maxBytes: number): number {
  let prefix: Uint8Array;
  try {
    prefix = gunzipPrefix(compressed);
  } catch (e) {
    throw new IdxFormatError(source, `corrupt gzip data (${(e as Error).message})`);
  }
  const header = parseIdxHeader(prefix, source);
  const total = BigInt(header.headerBytes) + header.dataBytes;
  if (total > BigInt(maxBytes)) {
    throw new IdxFormatError(source, `header declares [${header.shape.join(', ')}] of ${header.typeName}, more than the ${maxBytes}-byte limit (raise maxBytes to read it)`);
  }
  return Number(total);
}

function tooMuch(source: string, expected: number): IdxFormatError {
  return new IdxFormatError(source, `gzip data inflates to more than the ${expected} bytes its header declares`);
}

function corrupt(source: string, e: unknown): Error {
  if (e instanceof IdxFormatError) return e;
  return new IdxFormatError(source, `corrupt gzip data (${(e as Error).message})`);
}

/** Decodes IDX file contents that may be gzip-compressed. */
export function decodeIdxFile(bytes: Uint8Array, source = '<buffer>', options: ReadIdxOptions = {}): ShapedArray<IdxArray> {
  rejectUnknownOptions(options, READ_OPTIONS, 'decodeIdxFile');
  if (!isGzip(bytes)) return decodeIdx(bytes, source);
  const expected = expectedInflatedSize(bytes, source, options.maxBytes ?? DEFAULT_MAX_BYTES);
  let raw: Uint8Array | null;
  try {
    raw = gunzipBoundedSync(bytes, expected);
  } catch (e) {
    throw corrupt(source, e);
  }
  if (raw === null) throw tooMuch(source, expected);
  return decodeIdx(raw, source);
}

/** The file's bytes: a regular file of at most maxBytes (a FIFO or a device such as /dev/zero is refused before any read). */
function fileProblem(path: string) {
  return (problem: string, kind: string) => new IdxFormatError(path, kind === 'size' ? `${problem} (raise maxBytes to read it)` : problem);
}

export function readIdxSync(path: string, options: ReadIdxOptions = {}): ShapedArray<IdxArray> {
  rejectUnknownOptions(options, READ_OPTIONS, 'readIdxSync');
  return decodeIdxFile(readRegularFileSync(path, options.maxBytes ?? DEFAULT_MAX_BYTES, fileProblem(path)), path, options);
}

export async function readIdx(path: string, options: ReadIdxOptions = {}): Promise<ShapedArray<IdxArray>> {
  rejectUnknownOptions(options, READ_OPTIONS, 'readIdx');
  const bytes = await readRegularFile(path, options.maxBytes ?? DEFAULT_MAX_BYTES, fileProblem(path));
  if (!isGzip(bytes)) return decodeIdx(bytes, path);
  const expected = expectedInflatedSize(bytes, path, options.maxBytes ?? DEFAULT_MAX_BYTES);
  let raw: Uint8Array | null;
  try {
    raw = await gunzipBounded(bytes, expected);
  } catch (e) {
    throw corrupt(path, e);
  }
  if (raw === null) throw tooMuch(path, expected);
  return decodeIdx(raw, path);
}

function wantsGzip(path: string, options: WriteIdxOptions, where: string): boolean {
  rejectUnknownOptions(options, ['gzip', 'level'], where);
  return options.gzip ?? path.endsWith('.gz');
}

/** Writes an IDX file atomically, gzip-compressed when asked or when the name ends in .gz. */
export async function writeIdx(path: string, array: ShapedArray<IdxArray>, options: WriteIdxOptions = {}): Promise<void> {
  const raw = encodeIdx(array);
  const bytes = wantsGzip(path, options, 'writeIdx') ? await gzipAsync(raw, { level: options.level ?? 9 }) : raw;
  await writeFileAtomic(path, bytes);
}

export function writeIdxSync(path: string, array: ShapedArray<IdxArray>, options: WriteIdxOptions = {}): void {
  const raw = encodeIdx(array);
  writeFileAtomicSync(path, wantsGzip(path, options, 'writeIdxSync') ? zlib.gzipSync(raw, { level: options.level ?? 9 }) : raw);
}
