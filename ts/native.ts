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
  NormBindings {}

/** The Node-API version the addon is built against (see binding.gyp / CMakeLists.txt). */
export const REQUIRED_NAPI_VERSION = 9;

const packageRoot = path.join(__dirname, '..');

function libc(): string {
  if (process.platform !== 'linux') return '';
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

function newestFirst(files: string[]): string[] {
  return files
    .filter((f) => fs.existsSync(f))
    .map((f) => ({ f, t: fs.statSync(f).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .map((x) => x.f);
}

function prebuildCandidates(): string[] {
  const dir = path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`);
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.node') && f.includes('napi'));
  const mine = libc();
  // Prefer a binary tagged with this libc, then untagged ones.
  const rank = (f: string) => (mine && f.includes(mine) ? 0 : /glibc|musl/.test(f) ? 2 : 1);
  return files.filter((f) => rank(f) < 2).sort((a, b) => rank(a) - rank(b)).map((f) => path.join(dir, f));
}

/** Where the addon may be, in the order tried. */
export function addonCandidates(): string[] {
  const explicit = process.env.DENDRITE_NATIVE;
  if (explicit) return [path.resolve(explicit)];
  const local = newestFirst([
    path.join(packageRoot, 'build', 'Release', 'dendrite.node'),
    path.join(packageRoot, 'build-cmake', 'Release', 'dendrite.node'),
  ]);
  return [...local, ...prebuildCandidates()];
}

function explainFailure(tried: Array<{ file: string; error: string }>): Error {
  const napi = Number(process.versions.napi ?? 0);
  const where = `${process.platform}-${process.arch}${libc() ? ` (${libc()})` : ''}`;
  const lines = [
    `dendrite: cannot load its native addon for ${where}, Node ${process.version}, Node-API ${napi || 'unknown'}.`,
  ];
  if (napi && napi < REQUIRED_NAPI_VERSION) {
    lines.push(`This Node.js offers Node-API ${napi}; dendrite needs Node-API ${REQUIRED_NAPI_VERSION} (Node.js >= 18.17 or >= 20.3). Upgrade Node.js.`);
  }
  if (tried.length === 0) {
    lines.push(`No prebuilt binary matches ${where}, and no local build exists under ${packageRoot}.`);
  } else {
    lines.push('Tried:');
    for (const t of tried) lines.push(`  ${t.file}: ${t.error.split('\n')[0]}`);
  }
  lines.push(
    'To build it from source run `npm rebuild dendrite` (needs a C++17 compiler, make and Python 3, as node-gyp does),',
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
