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

/**
 * The command that starts a child Node.js running `script`: this process's
 * Node, or, when DENDRITE_TEST_NODE_RUNNER names an emulator (the arm64 run
 * under qemu-aarch64, scripts/test-arm64-node.sh), this Node through it, with
 * five times the time (emulated start-up is slow).
 */
function childCommand(script: string, args: string[], timeoutMs: number): { file: string; argv: string[]; timeout: number } {
  const argv = ['-e', prelude() + script, ...args];
  const runner = process.env.DENDRITE_TEST_NODE_RUNNER;
  return runner ? { file: runner, argv: [process.execPath, ...argv], timeout: 5 * timeoutMs } : { file: process.execPath, argv, timeout: timeoutMs };
}

/** Runs `script` (with `dd` in scope) and returns its result; args are process.argv[1..]. */
export function runChild(script: string, args: string[] = [], timeoutMs = 60000): SpawnSyncReturns<string> {
  const c = childCommand(script, args, timeoutMs);
  return spawnSync(c.file, c.argv, { cwd: repoRoot, encoding: 'utf8', timeout: c.timeout });
}

/** runChild without blocking the test's event loop. */
export function runChildAsync(script: string, args: string[] = [], timeoutMs = 60000): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = childCommand(script, args, timeoutMs);
    const child = spawn(c.file, c.argv, { cwd: repoRoot, timeout: c.timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
