/**
 * Where the worker entry scripts are. They are compiled JavaScript under
 * dist/workers/; when this module runs from the TypeScript sources (the test
 * suite), the compiled copies are used, so `npm run build:ts` must have run.
 */
import * as fs from 'fs';
import * as path from 'path';

export function workerScript(name: 'training-worker' | 'inference-worker'): string {
  const beside = path.join(__dirname, `${name}.js`);
  if (fs.existsSync(beside)) return beside;
  const compiled = path.join(__dirname, '..', '..', 'dist', 'workers', `${name}.js`);
  if (fs.existsSync(compiled)) return compiled;
  throw new Error(`dendrite: the worker script ${name}.js is missing (looked beside ${__filename} and in dist/workers); run \`npm run build:ts\``);
}

/** Kernel threads a worker gets by default: every core but one, which stays free for the event loop. */
export function defaultWorkerThreads(hardwareThreads: number): number {
  return Math.max(1, hardwareThreads - 1);
}
