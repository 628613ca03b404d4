/**
 * Runs a script in a fresh Node process that can require the TypeScript
 * sources (transpiled on require, as test/autograd/memory.test.ts does), so
 * a test can check what a second process sees.
 */
import { spawn, SpawnSyncReturns, spawnSync } from 'child_process';
import * as path from 'path';

export const repoRoot = path.join(__dirname, '..', '..', '..');

/** Prepended to every child script: `dd` is the package, from its TypeScript sources. */
const prelude = `
const fs = require('fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
const dd = require(${JSON.stringify(path.join(repoRoot, 'ts', 'index.ts'))});
`;

/** Runs `script` (with `dd` in scope) and returns its result; args are process.argv[1..]. */
export function runChild(script: string, args: string[] = [], timeoutMs = 60000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-e', prelude + script, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs });
}

/** runChild without blocking the test's event loop. */
export function runChildAsync(script: string, args: string[] = [], timeoutMs = 60000): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', prelude + script, ...args], { cwd: repoRoot, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
