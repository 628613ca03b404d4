/**
 * Runs a script in a fresh Node process that can require the TypeScript
 * sources (transpiled on require, as test/autograd/memory.test.ts does), so
 * a test can check what a second process sees.
 */
import { spawn, SpawnSyncReturns, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const repoRoot = path.join(__dirname, '..', '..', '..');

/**
 * The entry the child requires: the compiled dist/index.js when every source
 * under ts/ has an up-to-date compiled file (as after `npm ci` or `npx tsc -p .`),
 * else the TypeScript entry, transpiled file by file on require (slower: about
 * a hundred files).
 */
function entry(): { file: string; transpile: boolean } {
  const tsRoot = path.join(repoRoot, 'ts');
  const distRoot = path.join(repoRoot, 'dist');
  const fresh = (dir: string): boolean =>
    fs.readdirSync(dir, { withFileTypes: true }).every((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return fresh(full);
      if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) return true;
      const compiled = path.join(distRoot, path.relative(tsRoot, full)).replace(/\.ts$/, '.js');
      return fs.existsSync(compiled) && fs.statSync(compiled).mtimeMs >= fs.statSync(full).mtimeMs;
    });
  return fresh(tsRoot) ? { file: path.join(distRoot, 'index.js'), transpile: false } : { file: path.join(tsRoot, 'index.ts'), transpile: true };
}

/** Prepended to every child script: `dd` is the package. */
function prelude(): string {
  const { file, transpile } = entry();
  const hook = `
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const source = require('fs').readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};`;
  return `${transpile ? hook : ''}\nconst dd = require(${JSON.stringify(file)});\n`;
}

/** Runs `script` (with `dd` in scope) and returns its result; args are process.argv[1..]. */
export function runChild(script: string, args: string[] = [], timeoutMs = 60000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['-e', prelude() + script, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: timeoutMs });
}

/** runChild without blocking the test's event loop. */
export function runChildAsync(script: string, args: string[] = [], timeoutMs = 60000): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', prelude() + script, ...args], { cwd: repoRoot, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
