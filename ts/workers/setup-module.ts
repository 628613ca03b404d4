/**
 * A job's setup module: what cannot travel as data (custom layers, losses,
 * metrics, callbacks, augmentation, schedules written as code) is loaded by
 * the worker itself. The module is imported first (its top level can call
 * dd.io.registerLayer), then its optional `configure` export is called with
 * the rebuilt model and optimizer and may return extra training pieces.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Module } from '../nn/module';
import type { Optimizer } from '../optim/optimizer';
import type { Callback } from '../train/callback';
import type { LossSpec } from '../train/losses';
import type { MetricSpec } from '../train/metrics';
import type { PerOutput } from '../train/outputs';
import type { Tensor } from '../tensor/tensor';

export interface SetupContext {
  /** The model the worker rebuilt (training job) or loaded (inference pool). */
  model: Module;
  /** The job's optimizer (training jobs only). */
  optimizer?: Optimizer;
  /** The `setupOptions` the caller passed (plain data). */
  options: unknown;
}

/** What `configure` may return to a training job. */
export interface SetupResult {
  callbacks?: Callback[];
  /** One loss, or one per output of a model with several (an array or a record keyed by output name). */
  loss?: PerOutput<LossSpec>;
  /** Metrics for every output, or lists per output. */
  metrics?: MetricSpec[] | PerOutput<MetricSpec[]>;
  augment?: { transform(x: Tensor, epoch: number, batch: number): Tensor };
}

export interface SetupModule {
  configure?(ctx: SetupContext): SetupResult | void | Promise<SetupResult | void>;
}

// A real dynamic import (TypeScript's CommonJS output would turn import() into
// require(), which cannot load ES modules).
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Imports the setup module (a path, absolute or relative to the process's working directory, or a package name). */
export async function importSetup(specifier: string): Promise<SetupModule> {
  const isPath = specifier.startsWith('.') || path.isAbsolute(specifier);
  const target = isPath ? pathToFileURL(path.resolve(specifier)).href : specifier;
  const mod = (await importModule(target)) as SetupModule & { default?: SetupModule };
  // A CommonJS module's exports arrive as the default export.
  if (typeof mod.configure !== 'function' && mod.default && typeof mod.default.configure === 'function') return mod.default;
  return mod;
}

export function checkSetupSpecifier(v: unknown, where: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new TypeError(`${where}: setup must be a module path or package name (a non-empty string)`);
  return v;
}
