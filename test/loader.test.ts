/** A missing or broken binary gives an explanation, not a bare "Cannot find module". */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const nativeTs = path.join(__dirname, '..', 'ts', 'native.ts');

function loadWith(env: Record<string, string>): string {
  // The child process cannot run TypeScript: transpile the loader on the fly.
  const js = ts.transpileModule(fs.readFileSync(nativeTs, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-loader-'));
  const file = path.join(dir, 'native.js');
  fs.writeFileSync(file, js);
  const r = spawnSync(process.execPath, ['-e', `try { require(${JSON.stringify(file)}).native(); console.log('loaded'); } catch (e) { console.log(e.message); }`], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return r.stdout;
}

test('a missing binary names the platform, the Node-API version and what to run', () => {
  const msg = loadWith({ DENDRITE_NATIVE: '/nonexistent/dendrite.node' });
  expect(msg).toContain(`${process.platform}-${process.arch}`);
  expect(msg).toMatch(/Node-API \d+/);
  expect(msg).toContain('/nonexistent/dendrite.node');
  expect(msg).toContain('npm rebuild dendrite');
});

test('a corrupt binary is reported with the loader error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-corrupt-'));
  const bad = path.join(dir, 'dendrite.node');
  fs.writeFileSync(bad, 'not an ELF file');
  const msg = loadWith({ DENDRITE_NATIVE: bad });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(msg).toContain(bad);
  expect(msg).toMatch(/invalid ELF header|not a valid|cannot/i);
});
