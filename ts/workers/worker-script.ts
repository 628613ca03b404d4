/**
 * Where the worker entry scripts are. They are compiled JavaScript under
 * dist/workers/; when this module runs from the TypeScript sources (the test
 * suite), the compiled copies are used, so `npm run build:ts` must have run.
 */
import * as fs from 'fs';
import * as path from 'path';

export function workerScript(name: 'training-worker' | 'inference-worker'): string {
  const beside = unpacked(path.join(__dirname, `${name}.js`));
  if (fs.existsSync(beside)) return beside;
  const compiled = path.join(__dirname, '..', '..', 'dist', 'workers', `${name}.js`);
  if (fs.existsSync(compiled)) return compiled;
  throw new Error(`dendrite: the worker script ${name}.js is missing (looked beside ${__filename} and in dist/workers); run \`npm run build:ts\``);
}

/**
 * Inside an Electron app's asar archive, the copy of the package unpacked
 * beside it (asarUnpack): a worker thread starts from a real file.
 */
function unpacked(file: string): string {
  const marker = `app.asar${path.sep}`;
  if (!file.includes(marker)) return file;
  const outside = file.replace(marker, `app.asar.unpacked${path.sep}`);
  return fs.existsSync(outside) ? outside : file;
}

/** Kernel threads a worker gets by default: every core but one, which stays free for the event loop. */
export function defaultWorkerThreads(hardwareThreads: number): number {
  return Math.max(1, hardwareThreads - 1);
}

/** The most kernel threads a worker may be given: what setNumThreads accepts (4 per core). */
export function maxWorkerThreads(hardwareThreads: number): number {
  return 4 * hardwareThreads;
}
