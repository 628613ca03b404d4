#!/usr/bin/env node
// Builds the prebuilt Node-API binaries the published package carries:
//   node scripts/build-prebuilds.js                 linux-x64 and linux-arm64 (glibc) on a linux-x64 host
//   node scripts/build-prebuilds.js --arch x64      one architecture (CI builds only the host's)
// Output: prebuilds/<platform>-<arch>/dendrite.glibc.node (prebuildify's naming,
// which both node-gyp-build and ts/native.ts read), stripped. Afterwards each
// binary is inspected: its machine, that it is stripped, and the newest glibc /
// libstdc++ symbol versions it needs (the oldest system it can load on).
// The package carries these files itself rather than one npm package per
// platform (sharp's way): they are small, and one package installs the same
// everywhere, with or without install scripts; docs/building.md says more.
//
// Each architecture builds in its own staging folder, build-prebuilds/<platform>-<arch>/,
// whose sources are links to the repository: prebuildify runs `node-gyp rebuild`
// in its working folder, and doing that in the repository itself would wipe
// build/ (the developer's node-gyp build) and, for arm64, leave arm64 objects there.
// arm64 is cross-compiled with Debian's aarch64-linux-gnu toolchain (CC/CXX/LINK/AR
// and node-gyp's --arch=arm64); the Node headers are architecture-independent.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const platform = process.platform;

const CROSS = {
  // node-gyp --arch value → the GNU toolchain prefix that builds for it on a linux-x64 host.
  arm64: 'aarch64-linux-gnu-',
};
const ELF_MACHINE = { x64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' };
// The oldest C and C++ runtimes the Linux binaries promise to load on
// (docs/building.md): glibc 2.17, libstdc++ of GCC 6. A binary needing a newer
// symbol version fails the build: some new call would otherwise quietly drop
// every older system (native/kernels/cpu/glibc_compat.h, threadpool/cond_var.h).
const NEWEST_ALLOWED = { GLIBC: '2.17', GLIBCXX: '3.4.22', CXXABI: '1.3.10' };

function usage(code) {
  const text = [
    'usage: node scripts/build-prebuilds.js [--arch x64,arm64]',
    '  --arch LIST   architectures to build (default: x64 and arm64 on a linux-x64 host, else the host\'s)',
    'Writes prebuilds/<platform>-<arch>/dendrite.glibc.node, stripped, and prints what each binary needs.',
  ].join('\n');
  (code ? console.error : console.log)(text);
  process.exit(code);
}

function parseArgs(argv) {
  let arches = platform === 'linux' && os.arch() === 'x64' ? ['x64', 'arm64'] : [os.arch()];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') usage(0);
    else if (a === '--arch' && argv[i + 1]) arches = argv[++i].split(/[,+]/).filter(Boolean);
    else if (a.startsWith('--arch=')) arches = a.slice(7).split(/[,+]/).filter(Boolean);
    else {
      console.error(`build-prebuilds: unknown argument '${a}'`);
      usage(2);
    }
  }
  for (const arch of arches) {
    if (arch !== os.arch() && !(platform === 'linux' && os.arch() === 'x64' && CROSS[arch])) {
      console.error(`build-prebuilds: cannot build ${platform}-${arch} on ${platform}-${os.arch()} (cross builds: linux-x64 → ${Object.keys(CROSS).join(', ')})`);
      process.exit(2);
    }
  }
  return arches;
}

function onPath(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, cmd)));
}

/** npm runs scripts with its bundled node-gyp on PATH; run directly, find the same one. */
function nodeGypBin() {
  if (process.env.npm_config_node_gyp && fs.existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  const bundled = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (fs.existsSync(bundled)) return bundled;
  if (onPath('node-gyp')) return 'node-gyp';
  console.error('build-prebuilds: node-gyp not found (it comes with npm; or npm install -g node-gyp)');
  process.exit(2);
}

/** A folder whose build inputs are links into the repository, so node-gyp's build/ lands there. */
function stage(arch) {
  const dir = path.join(root, 'build-prebuilds', `${platform}-${arch}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ['binding.gyp', 'package.json', 'native', 'scripts', 'node_modules']) {
    const link = path.join(dir, name);
    const st = fs.lstatSync(link, { throwIfNoEntry: false });
    if (st && st.isSymbolicLink()) fs.unlinkSync(link);
    else if (st) throw new Error(`build-prebuilds: ${link} is not a link; remove build-prebuilds/ and run again`);
    fs.symlinkSync(path.join(root, name), link);
  }
  return dir;
}

function buildEnv(arch) {
  const env = { ...process.env, JOBS: process.env.JOBS || 'max' };
  if (!env.npm_config_nodedir) {
    // Use the running Node's own headers when they are installed beside it (no download).
    const prefix = path.join(path.dirname(process.execPath), '..');
    if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
  }
  const prefix = arch === os.arch() ? '' : CROSS[arch];
  if (prefix) {
    for (const tool of ['g++', 'gcc', 'ar', 'strip']) {
      if (!onPath(prefix + tool)) {
        console.error(`build-prebuilds: ${prefix}${tool} not found; the ${arch} cross build needs Debian's g++-${prefix.slice(0, -1)} (apt-get install g++-${prefix.slice(0, -1)})`);
        process.exit(2);
      }
    }
    Object.assign(env, { CC: `${prefix}gcc`, CXX: `${prefix}g++`, LINK: `${prefix}g++`, AR: `${prefix}ar` });
  }
  return { env, strip: `${prefix}strip` };
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`build-prebuilds: ${path.basename(cmd)} ${args.join(' ')} failed (${r.error ? r.error.message : `exit ${r.status}`})`);
    process.exit(1);
  }
}

function build(arch, nodeGyp) {
  const cwd = stage(arch);
  const { env, strip } = buildEnv(arch);
  const prebuildify = require.resolve('prebuildify/bin.js');
  // Start from an empty output folder, so no binary of an earlier build is left to be packed.
  const dir = path.join(root, 'prebuilds', `${platform}-${arch}`);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`== ${platform}-${arch}: node-gyp in ${path.relative(root, cwd)}/ ${env.CXX ? `with ${env.CXX}` : ''}`);
  run(process.execPath, [
    prebuildify, '--napi', '--strip', '--tag-libc',
    '--arch', arch, '--platform', platform,
    // A Node-API build does not depend on the Node version; pinning the running one
    // keeps node-gyp on the headers installed here instead of downloading the newest.
    '--target', process.versions.node,
    '--strip-bin', strip,
    '--node-gyp', nodeGyp,
    '--out', root,
    cwd,
  ], { env, cwd: root });
  return fs.readdirSync(dir).filter((f) => f.endsWith('.node')).map((f) => path.join(dir, f));
}

function compareVersions(a, b) {
  const x = a.split('.').map(Number), y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) - (y[i] || 0);
  }
  return 0;
}

/**
 * The binary's machine, whether it is stripped, and the newest version of each
 * versioned dependency (GLIBC_, GLIBCXX_, CXXABI_, GCC_) it imports (Linux; null
 * elsewhere or where readelf, from binutils, is not installed).
 */
function inspect(file) {
  if (platform !== 'linux' || spawnSync('readelf', ['--version']).status !== 0) return null;
  const readelf = (args) => spawnSync('readelf', [...args, file], { encoding: 'utf8' }).stdout || '';
  const header = readelf(['-h']);
  const machine = (header.match(/Machine:\s+(.*)/) || [])[1] || 'unknown';
  const stripped = !/\.symtab/.test(readelf(['-S', '-W']));
  const newest = {};
  for (const m of readelf(['--dyn-syms', '-W']).matchAll(/@(GLIBC|GLIBCXX|CXXABI|GCC)_([\d.]+)/g)) {
    const [, lib, version] = m;
    if (!newest[lib] || compareVersions(version, newest[lib]) > 0) newest[lib] = version;
  }
  const needed = [...readelf(['-d']).matchAll(/\(NEEDED\)\s+Shared library: \[(.*)\]/g)].map((m) => m[1]);
  return { machine, stripped, newest, needed, bytes: fs.statSync(file).size };
}

function main() {
  const arches = parseArgs(process.argv.slice(2));
  const nodeGyp = nodeGypBin();
  const results = [];
  for (const arch of arches) {
    const t0 = Date.now();
    for (const file of build(arch, nodeGyp)) results.push({ arch, file, seconds: (Date.now() - t0) / 1000, facts: inspect(file) });
  }
  console.log('\nprebuilds:');
  let ok = true;
  for (const r of results) {
    const rel = path.relative(root, r.file);
    if (!r.facts) {
      console.log(`  ${rel}  (${r.seconds.toFixed(0)} s; readelf not found, not inspected)`);
      continue;
    }
    const { machine, stripped, newest, needed, bytes } = r.facts;
    const want = ELF_MACHINE[r.arch];
    const machineOk = !want || machine === want;
    const tooNew = platform === 'linux'
      ? Object.entries(NEWEST_ALLOWED).filter(([lib, max]) => newest[lib] && compareVersions(newest[lib], max) > 0).map(([lib, max]) => `${lib}_${newest[lib]} (at most ${lib}_${max})`)
      : [];
    ok = ok && machineOk && stripped && tooNew.length === 0;
    const needs = Object.entries(newest).map(([lib, v]) => `${lib}_${v}`).join(', ');
    console.log(`  ${rel}  ${(bytes / 1024).toFixed(0)} KiB  ${machine}${machineOk ? '' : ` (expected ${want})`}  ${stripped ? 'stripped' : 'NOT stripped'}  needs ${needs || 'no versioned symbols'}  links ${needed.join(' ')}  (${r.seconds.toFixed(0)} s)`);
    if (tooNew.length > 0) console.log(`    needs newer runtime symbols than promised: ${tooNew.join(', ')}`);
  }
  if (!ok) process.exit(1);
}

main();
