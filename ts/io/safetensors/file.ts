/**
 * safetensors files on disk. Reading takes the header first (bounded and
 * validated against the file's size), then reads each tensor straight into
 * its own array, so a file is never held twice in memory. Writing is atomic
 * (see ../atomic-write.ts).
 */
import * as fs from 'fs';
import { AtomicWriteOptions, writeFileAtomic, writeFileAtomicSync } from '../atomic-write';
import { checkAtomicWriteOptions } from '../write-options';
import { FileProblem, openRegularFile, openRegularFileSync, readExactly as readExactlyFromHandle, readExactlySync as readExactlyFromFdSync } from '../regular-file';
import { SafetensorsError } from './errors';
import { convertTensorBytes, directTarget, finishDirect } from './convert';
import { memoryDtypeOf } from './dtypes';
import { SafetensorsContents, LoadedTensor } from './decode';
import { SafetensorsHeader, TensorCounter, TensorEntry, parseHeader, readHeaderLength } from './header';
import { TensorToWrite, encodeSafetensorsChunks } from './encode';

/** Reading problems as SafetensorsError naming the file. */
function problem(source: string): FileProblem {
  return (text) => new SafetensorsError(source, `file ${text}`);
}

function readExactlySync(fd: number, target: Uint8Array, position: number, source: string): void {
  readExactlyFromFdSync(fd, target, position, problem(source));
}

function readExactly(handle: fs.promises.FileHandle, target: Uint8Array, position: number, source: string): Promise<void> {
  return readExactlyFromHandle(handle, target, position, problem(source));
}

function loaded(t: TensorEntry, data: LoadedTensor['data']): LoadedTensor {
  return { dtype: memoryDtypeOf(t.dtype), fileDtype: t.dtype, shape: t.shape, data };
}

/** Reads and validates only the header of a safetensors file. */
export function readSafetensorsHeaderSync(path: string): SafetensorsHeader {
  const { fd } = openRegularFileSync(path, Infinity, problem(path));
  try {
    return headerFromFdSync(fd, path);
  } finally {
    fs.closeSync(fd);
  }
}

// Headers are read in chunks, counting tensors as they come: a header listing too many stops the read early.
const HEADER_CHUNK = 1 << 20;

function headerFromFdSync(fd: number, path: string): SafetensorsHeader {
  const size = fs.fstatSync(fd).size;
  const prefix = new Uint8Array(8);
  if (size >= 8) readExactlySync(fd, prefix, 0, path);
  const length = readHeaderLength(prefix, size, path);
  const header = new Uint8Array(length);
  const counter = new TensorCounter(path);
  for (let at = 0; at < length; at += HEADER_CHUNK) {
    const end = Math.min(length, at + HEADER_CHUNK);
    readExactlySync(fd, header.subarray(at, end), 8 + at, path);
    counter.scan(header, end);
  }
  return parseHeader(header, size - 8 - length, path);
}

async function headerFromHandle(handle: fs.promises.FileHandle, path: string): Promise<SafetensorsHeader> {
  const size = (await handle.stat()).size;
  const prefix = new Uint8Array(8);
  if (size >= 8) await readExactly(handle, prefix, 0, path);
  const length = readHeaderLength(prefix, size, path);
  const header = new Uint8Array(length);
  const counter = new TensorCounter(path);
  for (let at = 0; at < length; at += HEADER_CHUNK) {
    const end = Math.min(length, at + HEADER_CHUNK);
    await readExactly(handle, header.subarray(at, end), 8 + at, path);
    counter.scan(header, end);
  }
  return parseHeader(header, size - 8 - length, path);
}

/** Reads and validates only the header of a safetensors file. */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const { handle } = await openRegularFile(path, Infinity, problem(path));
  try {
    return await headerFromHandle(handle, path);
  } finally {
    await handle.close();
  }
}

/** Reads every tensor of a safetensors file; F32/I32 as they are, other dtypes converted (see convert.ts). */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  const { handle } = await openRegularFile(path, Infinity, problem(path));
  try {
    const header = await headerFromHandle(handle, path);
    const tensors: Record<string, LoadedTensor> = Object.create(null);
    for (const t of header.tensors) {
      const position = header.dataStart + t.begin;
      const direct = directTarget(t.dtype, t.count);
      if (direct) {
        await readExactly(handle, new Uint8Array(direct.buffer), position, path);
        tensors[t.name] = loaded(t, finishDirect(direct));
      } else {
        const bytes = new Uint8Array(t.end - t.begin);
        await readExactly(handle, bytes, position, path);
        tensors[t.name] = loaded(t, convertTensorBytes(t.name, t.dtype, bytes, t.count, path));
      }
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await handle.close();
  }
}

/** Synchronous readSafetensors. */
export function readSafetensorsSync(path: string): SafetensorsContents {
  const { fd } = openRegularFileSync(path, Infinity, problem(path));
  try {
    const header = headerFromFdSync(fd, path);
    const tensors: Record<string, LoadedTensor> = Object.create(null);
    for (const t of header.tensors) {
      const position = header.dataStart + t.begin;
      const direct = directTarget(t.dtype, t.count);
      if (direct) {
        readExactlySync(fd, new Uint8Array(direct.buffer), position, path);
        tensors[t.name] = loaded(t, finishDirect(direct));
      } else {
        const bytes = new Uint8Array(t.end - t.begin);
        readExactlySync(fd, bytes, position, path);
        tensors[t.name] = loaded(t, convertTensorBytes(t.name, t.dtype, bytes, t.count, path));
      }
    }
    return { tensors, metadata: header.metadata };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes tensors (in the order given) and optional string metadata to `path`, atomically. */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
  options?: AtomicWriteOptions,
): Promise<void> {
  checkAtomicWriteOptions(options, 'writeSafetensors');
  await writeFileAtomic(path, encodeSafetensorsChunks(tensors, metadata), options);
}

/** Synchronous writeSafetensors. */
export function writeSafetensorsSync(
  path: string,
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
  options?: AtomicWriteOptions,
): void {
  checkAtomicWriteOptions(options, 'writeSafetensorsSync');
  writeFileAtomicSync(path, encodeSafetensorsChunks(tensors, metadata), options);
}
