/**
 * Which binary the loader picks: a build made in the package folder always wins
 * over a prebuilt one (however new the prebuilt file), the newest local build
 * wins over an older one, and prebuilt files are matched by their name's tags.
 * Each case lays out a package folder of its own and loads from a child process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { addonCandidates, loadFailureAdvice } from '../ts/native';

const nativeTs = path.join(__dirname, '..', 'ts', 'native.ts');
const realAddon = addonCandidates()[0];
const platformDir = `${process.platform}-${process.arch}`;
const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime;
const myLibc = glibc ? 'glibc' : 'musl';
const otherLibc = glibc ? 'musl' : 'glibc';

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-order-'));
  const js = ts.transpileModule(fs.readFileSync(nativeTs, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  fs.mkdirSync(path.join(root, 'dist'));
  fs.writeFileSync(path.join(root, 'dist', 'native.js'), js);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Places a working copy of the addon (or a corrupt file) at rel, with the given age in seconds. */
function put(rel: string, opts: { ageSeconds: number; corrupt?: boolean }): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (opts.corrupt) fs.writeFileSync(file, 'not a shared object');
  else fs.copyFileSync(realAddon, file);
  const t = Date.now() / 1000 - opts.ageSeconds;
  fs.utimesSync(file, t, t);
  return file;
}

function load(): { candidates: string[]; outcome: string } {
  const script = `
    const n = require(${JSON.stringify(path.join(root, 'dist', 'native.js'))});
    let outcome;
    try { outcome = typeof n.native().backendInfo === 'function' ? 'loaded' : 'no backendInfo'; } catch (e) { outcome = e.message; }
    console.log(JSON.stringify({ candidates: n.addonCandidates(), outcome }));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, DENDRITE_NATIVE: '' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test('a local build wins over a newer prebuilt binary', () => {
  const local = put('build/Release/dendrite.node', { ageSeconds: 3600 });
  put(`prebuilds/${platformDir}/dendrite.${myLibc}.node`, { ageSeconds: 0 });
  expect(load()).toEqual({ candidates: [local], outcome: 'loaded' });
});

test('the newest of the node-gyp and cmake-js builds is the one loaded', () => {
  put('build/Release/dendrite.node', { ageSeconds: 60 });
  const cmake = put('build-cmake/Release/dendrite.node', { ageSeconds: 1 });
  expect(load()).toEqual({ candidates: [cmake], outcome: 'loaded' });
  const gyp = put('build/Release/dendrite.node', { ageSeconds: 0 });
  expect(load().candidates).toEqual([gyp]);
});

test('a local build that fails to load is reported, not replaced by a prebuilt binary or an older build', () => {
  put('build-cmake/Release/dendrite.node', { ageSeconds: 100 });
  const broken = put('build/Release/dendrite.node', { ageSeconds: 0, corrupt: true });
  put(`prebuilds/${platformDir}/dendrite.${myLibc}.node`, { ageSeconds: 0 });
  const { candidates, outcome } = load();
  expect(candidates).toEqual([broken]);
  expect(outcome).toContain(broken);
  expect(outcome).toContain('prebuilt binaries were not tried');
});

test('without a local build the prebuilt binaries load, this C library first, other libcs and ABI builds never', () => {
  const dir = `prebuilds/${platformDir}`;
  const tagged = put(`${dir}/dendrite.${myLibc}.node`, { ageSeconds: 0 });
  const untagged = put(`${dir}/dendrite.node`, { ageSeconds: 0 });
  const napi = put(`${dir}/node.napi.node`, { ageSeconds: 0 });
  put(`${dir}/dendrite.${otherLibc}.node`, { ageSeconds: 0 });
  put(`${dir}/node.abi115.node`, { ageSeconds: 0 });
  put(`${dir}/dendrite.armv6.node`, { ageSeconds: 0 });
  put(`${dir}/README.txt`, { ageSeconds: 0, corrupt: true });
  expect(load()).toEqual({ candidates: [tagged, untagged, napi], outcome: 'loaded' });
});

test('a broken prebuilt binary falls through to the next matching one', () => {
  const dir = `prebuilds/${platformDir}`;
  const broken = put(`${dir}/dendrite.${myLibc}.node`, { ageSeconds: 0, corrupt: true });
  const good = put(`${dir}/dendrite.node`, { ageSeconds: 0 });
  expect(load()).toEqual({ candidates: [broken, good], outcome: 'loaded' });
});

test('with no binary for this platform the error names platform, architecture, C library, what the package carries and what to run', () => {
  put('prebuilds/sunos-mips/dendrite.glibc.node', { ageSeconds: 0, corrupt: true });
  const { candidates, outcome } = load();
  expect(candidates).toEqual([]);
  expect(outcome).toContain(`No prebuilt binary matches ${platformDir}`);
  if (process.platform === 'linux') expect(outcome).toContain(`with ${myLibc}`);
  expect(outcome).toContain('carries prebuilt binaries for: sunos-mips (dendrite.glibc.node)');
  expect(outcome).toContain('npm rebuild dendrite --build-from-source');
});

test('load errors from an old C library or a foreign binary get advice', () => {
  const glibcMsg = "/lib/x86_64-linux-gnu/libm.so.6: version `GLIBC_2.29' not found (required by /app/dendrite.node)";
  expect(loadFailureAdvice(glibcMsg, '2.28')).toBe(
    'That binary needs glibc 2.29 or later; this system has glibc 2.28. Build from source (below) or use a newer distribution.',
  );
  expect(loadFailureAdvice("version `GLIBCXX_3.4.30' not found", '2.35')).toMatch(/newer C\+\+ runtime \(libstdc\+\+\)/);
  expect(loadFailureAdvice('/x/dendrite.node: invalid ELF header')).toMatch(/another platform/);
  expect(loadFailureAdvice('some other failure')).toBeUndefined();
});
