/**
 * Atomic file replacement: the data goes to a temporary file in the same
 * folder, is flushed to disk (fsync), and only then renamed over the target,
 * after which the folder itself is flushed where the platform allows it. A
 * crash or error at any point leaves either the old file or the new one, never
 * a mix; on an error the temporary file is removed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export interface AtomicWriteOptions {
  /** Flush file and folder to disk (default true). Turning it off keeps atomicity against other processes but not against power loss. */
  fsync?: boolean;
  /** File mode of a newly created file (default 0o666, minus the umask). */
  mode?: number;
  /**
   * Called after the temporary file is complete and flushed, just before the
   * rename. Lets tests simulate a crash at the worst moment; throwing from it
   * aborts the write like any other failure.
   */
  beforeRename?: (tempPath: string) => void | Promise<void>;
}

export type FileChunks = Uint8Array | readonly Uint8Array[];

function chunksOf(data: FileChunks): readonly Uint8Array[] {
  return data instanceof Uint8Array ? [data] : data;
}

/** The temporary name used for `target`: hidden, in the same folder, unique per write. */
export function temporaryPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** True for temporary files that writes to `target` create (e.g. left behind by a killed process). */
export function isTemporaryPathFor(target: string, candidate: string): boolean {
  const prefix = `.${path.basename(target)}.`;
  const name = path.basename(candidate);
  return path.dirname(candidate) === path.dirname(target) && name.startsWith(prefix) && /\.\d+\.[0-9a-f]{12}\.tmp$/.test(name);
}

/** Whether a process with this id runs on this machine (EPERM: it runs, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files of earlier writes to `target` whose writing process has died (killed mid-save). */
function orphansIn(names: readonly string[], target: string): string[] {
  const dir = path.dirname(target);
  return names
    .map((name) => path.join(dir, name))
    .filter((file) => {
      if (!isTemporaryPathFor(target, file)) return false;
      const pid = Number(/\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(file)?.[1]);
      return pid !== process.pid && !processAlive(pid);
    });
}

/** Removes what orphansIn finds; best effort (the save itself has already succeeded). */
async function removeOrphans(target: string): Promise<void> {
  try {
    for (const file of orphansIn(await fs.promises.readdir(path.dirname(target)), target)) await fs.promises.unlink(file).catch(() => undefined);
  } catch {
    // an unreadable folder: nothing to tidy
  }
}

function removeOrphansSync(target: string): void {
  try {
    for (const file of orphansIn(fs.readdirSync(path.dirname(target)), target)) removeQuietlySync(file);
  } catch {
    // an unreadable folder: nothing to tidy
  }
}

// Folders cannot be opened or fsynced everywhere (Windows); there the rename's durability is the OS's business.
function fsyncFolderSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

async function fsyncFolder(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

function removeQuietlySync(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Writes `data` to `target` atomically (see the module comment). */
export async function writeFileAtomic(target: string, data: FileChunks, options: AtomicWriteOptions = {}): Promise<void> {
  const sync = options.fsync ?? true;
  const temp = temporaryPathFor(target);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'wx', options.mode ?? 0o666);
    for (const chunk of chunksOf(data)) {
      let written = 0;
      while (written < chunk.byteLength) {
        const r = await handle.write(chunk, written, chunk.byteLength - written);
        written += r.bytesWritten;
      }
    }
    if (sync) await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.beforeRename) await options.beforeRename(temp);
    await fs.promises.rename(temp, target);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.promises.unlink(temp).catch(() => undefined);
    throw e;
  }
  if (sync) await fsyncFolder(path.dirname(target));
  // Saves killed mid-write left their temporary files behind: the next save to the same path removes them.
  await removeOrphans(target);
}

/** Synchronous writeFileAtomic. */
export function writeFileAtomicSync(target: string, data: FileChunks, options: AtomicWriteOptions = {}): void {
  const sync = options.fsync ?? true;
  const temp = temporaryPathFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', options.mode ?? 0o666);
    for (const chunk of chunksOf(data)) {
      let written = 0;
      while (written < chunk.byteLength) written += fs.writeSync(fd, chunk, written, chunk.byteLength - written);
    }
    if (sync) fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (options.beforeRename) {
      const r = options.beforeRename(temp);
      if (r instanceof Promise) throw new Error('writeFileAtomicSync: beforeRename must not return a Promise');
    }
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // the write error is the one to report
      }
    }
    removeQuietlySync(temp);
    throw e;
  }
  if (sync) fsyncFolderSync(path.dirname(target));
  removeOrphansSync(target);
}
