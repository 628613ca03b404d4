/**
 * Opening files that may be anything: a path can name a FIFO (whose open
 * blocks until a writer comes, forever if none does), a device such as
 * /dev/zero (endless), a socket or a folder. Readers of data and model files
 * take regular files only, checked before the open (stat never blocks) and
 * again on the open descriptor (the path may have been swapped in between,
 * and O_NONBLOCK keeps that open from hanging on a FIFO), and bound the size
 * before reading a byte.
 */
import * as fs from 'fs';

/** Turns a problem with the file into the caller's own error type ('size': over the caller's limit). */
export type FileProblem = (problem: string, kind: 'type' | 'size' | 'read') => Error;

// Where the platform has it: a FIFO swapped in after the stat cannot block the open.
const READ_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

function kind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function check(st: fs.Stats, maxBytes: number, fail: FileProblem): number {
  if (!st.isFile()) throw fail(`is ${kind(st)}, not a regular file`, 'type');
  if (st.size > maxBytes) throw fail(`is ${st.size} bytes, more than the limit of ${maxBytes}`, 'size');
  return st.size;
}

/** The size of a regular file (stat only: nothing is opened). */
export async function regularFileSize(path: string, fail: FileProblem): Promise<number> {
  return check(await fs.promises.stat(path), Infinity, fail);
}

/** Opens a regular file of at most maxBytes for reading; returns the handle and its size. */
export async function openRegularFile(path: string, maxBytes: number, fail: FileProblem): Promise<{ handle: fs.promises.FileHandle; size: number }> {
  check(await fs.promises.stat(path), maxBytes, fail);
  const handle = await fs.promises.open(path, READ_FLAGS);
  try {
    return { handle, size: check(await handle.stat(), maxBytes, fail) };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

export function openRegularFileSync(path: string, maxBytes: number, fail: FileProblem): { fd: number; size: number } {
  check(fs.statSync(path), maxBytes, fail);
  const fd = fs.openSync(path, READ_FLAGS);
  try {
    return { fd, size: check(fs.fstatSync(fd), maxBytes, fail) };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/** Fills `target` from `position` of an open file; a file that ends first is an error (it changed while being read). */
export async function readExactly(handle: fs.promises.FileHandle, target: Uint8Array, position: number, fail: FileProblem): Promise<void> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) throw fail('ended early (was it changed while being read?)', 'read');
    done += bytesRead;
  }
}

export function readExactlySync(fd: number, target: Uint8Array, position: number, fail: FileProblem): void {
  let done = 0;
  while (done < target.byteLength) {
    const n = fs.readSync(fd, target, done, target.byteLength - done, position + done);
    if (n === 0) throw fail('ended early (was it changed while being read?)', 'read');
    done += n;
  }
}

/** The whole contents of a regular file of at most maxBytes. */
export async function readRegularFile(path: string, maxBytes: number, fail: FileProblem): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, maxBytes, fail);
  try {
    const bytes = new Uint8Array(size);
    await readExactly(handle, bytes, 0, fail);
    return bytes;
  } finally {
    await handle.close();
  }
}

export function readRegularFileSync(path: string, maxBytes: number, fail: FileProblem): Uint8Array {
  const { fd, size } = openRegularFileSync(path, maxBytes, fail);
  try {
    const bytes = new Uint8Array(size);
    readExactlySync(fd, bytes, 0, fail);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}
