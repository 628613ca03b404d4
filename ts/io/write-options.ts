/**
 * The atomic writer's options as the public saving functions take them: a
 * misspelt one is an error. (atomic-write.ts itself imports only Node's
 * built-ins, so it can be loaded on its own; the checks live here.)
 */
import { rejectUnknownOptions } from '../options';
import { AtomicWriteOptions, FileChunks, writeFileAtomic as writeUnchecked, writeFileAtomicSync as writeUncheckedSync } from './atomic-write';

/** Checks the write options a saving function takes; undefined passes. */
export function checkAtomicWriteOptions(options: AtomicWriteOptions | undefined, where: string): void {
  if (options !== undefined) rejectUnknownOptions(options, ['fsync', 'mode', 'beforeRename'], where);
}

/** Writes `data` to `target` atomically: a crash leaves the previous file or the new one, never a mix (see atomic-write.ts). */
export async function writeFileAtomic(target: string, data: FileChunks, options: AtomicWriteOptions = {}): Promise<void> {
  checkAtomicWriteOptions(options, 'writeFileAtomic');
  await writeUnchecked(target, data, options);
}

/** Synchronous writeFileAtomic. */
export function writeFileAtomicSync(target: string, data: FileChunks, options: AtomicWriteOptions = {}): void {
  checkAtomicWriteOptions(options, 'writeFileAtomicSync');
  writeUncheckedSync(target, data, options);
}
