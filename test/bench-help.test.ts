/**
 * Every bench/*.js script answers --help with its usage text (exit 0) and an
 * option it does not know with the message and the usage (exit 2), never with
 * a stack trace. The scripts load dist/, which `npm test` builds first.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const benchDir = path.join(root, 'bench');
const scripts = fs.readdirSync(benchDir).filter((f) => f.endsWith('.js')).sort();

// A frame of a Node stack trace: "    at fn (file:line:col)".
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(benchDir, script), ...args], { cwd: root, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build:ts` (npm test does it first)');
});

test('the bench folder holds the runner and the benchmarks', () => {
  expect(scripts).toEqual(expect.arrayContaining(['run.js', 'gemm.js', 'infer.js', 'kernels-conv.js', 'train.js']));
});

describe.each(scripts)('bench/%s', (script) => {
  test('--help prints the usage to stdout and exits 0', () => {
    const r = run(script, '--help');
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    expect(r.stdout).toContain(`node bench/${script}`);
  });

  test('an unknown option prints the message and the usage and exits 2, without a stack trace', () => {
    const r = run(script, '--no-such-option');
    expect({ status: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ status: 2, signal: null, stdout: '' });
    expect(r.stderr).toContain("Unknown option '--no-such-option'");
    expect(r.stderr).toContain(`node bench/${script}`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

test('a value the script cannot use is a usage error too', () => {
  for (const [script, args] of [['scaling.js', []], ['scaling.js', ['two']], ['gemm.js', ['--rounds', 'x']], ['kernels-conv.js', ['--threads', '0']], ['run.js', ['--only', 'nope']]] as const) {
    const r = run(script, ...args);
    expect([script, ...args, r.status, STACK_FRAME.test(r.stderr)]).toEqual([script, ...args, 2, false]);
    expect(r.stderr).toContain(`node bench/${script}`);
  }
});
