/**
 * The only module that loads and calls the native addon.
 *
 * The addon is loaded lazily on first use, so importing the package never
 * fails by itself; when it cannot be loaded the error says which platform,
 * which Node-API version, what was tried and what to run.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BackendBindings } from './bindings/backend';
import type { GemmBindings } from './bindings/gemm';
import type { ConvBindings } from './bindings/conv';
import type { PoolBindings } from './bindings/pool';
import type { UpsampleBindings } from './bindings/upsample';
import type { DropoutBindings } from './bindings/dropout';
import type { RandomBindings } from './bindings/random';
import type { LayoutBindings } from './bindings/layout';
import type { AugmentBindings } from './bindings/augment';
import type { ElementwiseBindings } from './bindings/elementwise';
import type { ReduceBindings } from './bindings/reduce';
import type { SoftmaxBindings } from './bindings/softmax';
import type { OptimBindings } from './bindings/optim';
import type { NormBindings } from './bindings/norm';
import type { MemoryBindings } from './bindings/memory';
import type { InferBindings } from './bindings/infer';

/**
 * Everything the addon exports. Each binding family declares its types in
 * ts/bindings/<family>.ts, mirroring native/addon/bind_<family>.cc.
 */
export interface NativeAddon extends
  BackendBindings,
  GemmBindings,
  ConvBindings,
  PoolBindings,
  UpsampleBindings,
  DropoutBindings,
  RandomBindings,
  LayoutBindings,
  AugmentBindings,
  ElementwiseBindings,
  ReduceBindings,
  SoftmaxBindings,
  OptimBindings,
  NormBindings,
  MemoryBindings,
  InferBindings {}

/** The Node-API version the addon is built against (see binding.gyp / CMakeLists.txt). */
export const REQUIRED_NAPI_VERSION = 9;

const packageRoot = path.join(__dirname, '..');

/** The C library of this process on Linux ('glibc' or 'musl'); '' elsewhere. */
function libc(): string {
  if (process.platform !== 'linux') return '';
  return glibcVersion() ? 'glibc' : 'musl';
}

function glibcVersion(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime;
}

function newestFirst(files: string[]): string[] {
  return files
    .filter((f) => fs.existsSync(f))
    .map((f) => ({ f, t: fs.statSync(f).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .map((x) => x.f);
}

/**
 * Whether a prebuilt file suits this process, by the dot-separated tags of its
 * name as prebuildify writes them (`dendrite.glibc.node`, `node.napi.armv8.musl.node`):
 * 0 for one tagged with this C library, 1 for an untagged one, -1 for none.
 */
function prebuildRank(file: string): number {
  const tags = file.split('.');
  if (tags.pop() !== 'node') return -1;
  const armv = process.arch === 'arm64' ? '8' : String((process.config.variables as { arm_version?: string }).arm_version ?? '');
  let rank = 1;
  for (const tag of tags) {
    // An ABI-tagged file is built for one Node.js version, not for Node-API.
    if (/^abi\d+$/.test(tag) && !tags.includes('napi')) return -1;
    if (/^armv\d+$/.test(tag) && tag !== `armv${armv}`) return -1;
    if (tag === 'glibc' || tag === 'musl') {
      if (tag !== libc()) return -1;
      rank = 0;
    }
  }
  return rank;
}

function prebuildCandidates(): string[] {
  const dir = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map((f) => ({ f, rank: prebuildRank(f) }))
    .filter((x) => x.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.f.localeCompare(b.f))
    .map((x) => path.join(dir, x.f));
}

/** Builds made in this package folder: node-gyp's (also what an install compiles) and cmake-js's. */
function localBuilds(): string[] {
  return newestFirst([
    path.join(packageRoot, 'build', 'Release', 'dendrite.node'),
    path.join(packageRoot, 'build-cmake', 'Release', 'dendrite.node'),
  ]);
}

/**
 * Where the addon may be, in the order tried: `DENDRITE_NATIVE` alone when set;
 * otherwise the newest local build alone when there is one; otherwise the
 * prebuilt binaries for this platform, architecture and C library. A build made
 * in the package folder is what its maker means to run, so neither an older
 * build nor a prebuilt binary ever stands in for it, even when it fails to load
 * (that failure is reported instead of hidden).
 */
export function addonCandidates(): string[] {
  const explicit = process.env.DENDRITE_NATIVE;
  if (explicit) return [path.resolve(explicit)];
  const local = localBuilds();
  if (local.length > 0) return [local[0]];
  return prebuildCandidates();
}

/** The platforms the package carries prebuilt binaries for, e.g. `linux-x64 (dendrite.glibc.node)`. */
function carriedPrebuilds(): string[] {
  const dir = path.join(packageRoot, 'prebuilds');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).sort().map((p) => {
    const files = fs.readdirSync(path.join(dir, p)).filter((f) => f.endsWith('.node'));
    return `${p} (${files.join(', ')})`;
  });
}

/**
 * What a load error usually means, for the common cases: a binary linked
 * against a newer glibc or libstdc++ than this system has, or one built for
 * another platform.
 * @internal
 */
export function loadFailureAdvice(error: string, glibc = glibcVersion()): string | undefined {
  const needs = /GLIBC_(\d+(?:\.\d+)+)' not found/.exec(error);
  if (needs) {
    return `That binary needs glibc ${needs[1]} or later; this system has ${glibc ? `glibc ${glibc}` : 'another C library'}. Build from source (below) or use a newer distribution.`;
  }
  if (/(GLIBCXX|CXXABI)_[\d.]+' not found/.test(error)) {
    return 'That binary needs a newer C++ runtime (libstdc++) than this system has. Build from source (below), or install a newer libstdc++.';
  }
  if (/invalid ELF header|wrong ELF class|not a valid Win32 application|Exec format error/i.test(error)) {
    return 'That binary was built for another platform (a node_modules copied from another machine?). Install or rebuild on this machine.';
  }
  return undefined;
}

function explainFailure(tried: Array<{ file: string; error: string }>): Error {
  const napi = Number(process.versions.napi ?? 0);
  const glibc = glibcVersion();
  const where = `${process.platform}-${process.arch}${libc() ? ` (${libc()}${glibc ? ` ${glibc}` : ''})` : ''}`;
  const lines = [
    `dendrite: cannot load its native addon for ${where}, Node ${process.version}, Node-API ${napi || 'unknown'}.`,
  ];
  if (napi && napi < REQUIRED_NAPI_VERSION) {
    lines.push(`This Node.js offers Node-API ${napi}; dendrite needs Node-API ${REQUIRED_NAPI_VERSION} (Node.js >= 18.17 or >= 20.3). Upgrade Node.js.`);
  }
  const carried = carriedPrebuilds();
  if (tried.length === 0) {
    lines.push(
      `No prebuilt binary matches ${process.platform}-${process.arch}${libc() ? ` with ${libc()}` : ''}, and no local build exists under ${packageRoot}.`,
      carried.length > 0 ? `The package carries prebuilt binaries for: ${carried.join('; ')}.` : 'The package carries no prebuilt binaries.',
    );
  } else {
    lines.push('Tried:');
    for (const t of tried) {
      lines.push(`  ${t.file}: ${t.error.split('\n')[0]}`);
      const advice = loadFailureAdvice(t.error, glibc);
      if (advice) lines.push(`  ${advice}`);
    }
    if (!process.env.DENDRITE_NATIVE && localBuilds().includes(tried[0].file) && carried.length > 0) {
      lines.push('A local build exists, so the prebuilt binaries were not tried: rebuild it, or delete it to use them.');
    }
  }
  lines.push(
    'To build it from source run `npm rebuild dendrite --build-from-source` (needs a C++17 compiler, make and Python 3, as node-gyp does),',
    'or in a clone of the repository `npm run build:native` (needs cmake). DENDRITE_NATIVE=/path/to/dendrite.node loads a given binary.',
  );
  return new Error(lines.join('\n'));
}

function loadAddon(): NativeAddon {
  const tried: Array<{ file: string; error: string }> = [];
  for (const file of addonCandidates()) {
    try {
      // The addon's path is known only at run time; require is how Node loads a .node file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(file) as NativeAddon;
    } catch (e) {
      tried.push({ file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  throw explainFailure(tried);
}

let addon: NativeAddon | undefined;

/** The loaded addon (loaded on first call). */
export function native(): NativeAddon {
  if (addon === undefined) addon = loadAddon();
  return addon;
}
