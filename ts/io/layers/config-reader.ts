/**
 * Strict reading of one layer's options from a model description. Each
 * accessor checks the type and range of one key and names the layer's place
 * in the tree when it fails; `finish()` rejects keys nobody asked for, so a
 * misspelt option is an error instead of a silently different model. Layers
 * that hold parameters reserve their element count first, against a budget,
 * so a hostile description cannot make the loader allocate more than the
 * weights file it came with actually holds.
 */
import type { Module } from '../../nn/module';
import { ModelFormatError } from '../errors';
import type { JsonObject, JsonValue } from '../safetensors/strict-json';

/** Largest size, kernel, channel count or dimension accepted in a description. */
export const MAX_CONFIG_INTEGER = 2 ** 31 - 1;

/** What building a tree of layers shares: where errors point, and how many parameter elements may still be made. */
export interface BuildContext {
  readonly source: string;
  /** Parameter elements that may still be allocated. */
  budget: number;
  /** Builds a child layer from its description; `where` is its place in the tree (for messages). */
  build(spec: JsonValue, where: string): Module;
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shown(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export class ConfigReader {
  private readonly used = new Set<string>();

  /** The layer's place and type, e.g. "model.layers[2] (Linear)", for messages. */
  readonly where: string;

  constructor(
    private readonly config: JsonObject,
    /** The layer's place in the tree, e.g. "model.layers[2]". */
    readonly path: string,
    type: string,
    private readonly context: BuildContext,
  ) {
    this.where = `${path} (${type})`;
  }

  /** Throws a ModelFormatError about this layer. */
  fail(problem: string): never {
    throw new ModelFormatError(this.context.source, `${this.where}: ${problem}`);
  }

  private take(key: string): JsonValue | undefined {
    this.used.add(key);
    return Object.prototype.hasOwnProperty.call(this.config, key) ? this.config[key] : undefined;
  }

  /** An integer in [min, max]; `fallback` when the key is absent (required when there is none). */
  integer(key: string, min: number, fallback?: number, max = MAX_CONFIG_INTEGER): number {
    const v = this.take(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(`config.${key} must be an integer in [${min}, ${max}], got ${shown(v)}`);
    }
    return v === 0 ? 0 : v;
  }

  /** A finite number in [min, max]. */
  number(key: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE, fallback?: number): number {
    const v = this.take(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      const range = min === -Number.MAX_VALUE && max === Number.MAX_VALUE ? 'a finite number' : `a number in [${min}, ${max}]`;
      this.fail(`config.${key} must be ${range}, got ${shown(v)}`);
    }
    return v;
  }

  boolean(key: string, fallback?: boolean): boolean {
    const v = this.take(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(`config.${key} must be true or false, got ${shown(v)}`);
    return v;
  }

  /** A short string (a name such as an activation; the layer's constructor checks which names it accepts). */
  string(key: string, fallback?: string): string {
    const v = this.take(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || v.length > 64) this.fail(`config.${key} must be a string of at most 64 characters, got ${shown(v)}`);
    return v;
  }

  /** A pair of integers >= min, written [a, b]; `fallback` when the key is absent (required when there is none). */
  pair(key: string, min: number): [number, number];
  pair<F extends [number, number] | null>(key: string, min: number, fallback: F): [number, number] | F;
  pair(key: string, min: number, fallback?: [number, number] | null): [number, number] | null {
    const v = this.take(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= MAX_CONFIG_INTEGER)) {
      this.fail(`config.${key} must be a pair [a, b] of integers >= ${min}, got ${shown(v)}`);
    }
    return [v[0] as number, v[1] as number];
  }

  /** A pair of finite numbers > 0, written [a, b] (scale factors); `fallback` when the key is absent. */
  positivePair<F extends [number, number] | null>(key: string, fallback: F): [number, number] | F {
    const v = this.take(key);
    if (v === undefined) return fallback;
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
      this.fail(`config.${key} must be a pair [a, b] of finite numbers > 0, got ${shown(v)}`);
    }
    return [v[0] as number, v[1] as number];
  }

  /** A pair of integers >= min, or one of `names` (Conv2d's padding: [1, 1] or 'same'); `fallback` when absent. */
  pairOrName<N extends string>(key: string, min: number, names: readonly N[], fallback?: [number, number]): [number, number] | N {
    const v = this.take(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string') return this.pair(key, min);
    if (!(names as readonly string[]).includes(v)) this.fail(`config.${key} must be a pair [a, b] of integers >= ${min} or one of ${names.join(', ')}, got ${shown(v)}`);
    return v as N;
  }

  /** A list of 1 to `maxLength` integers in [min, MAX_CONFIG_INTEGER] (a shape). */
  integers(key: string, min: number, maxLength = 64): number[] {
    const v = this.take(key);
    if (!Array.isArray(v) || v.length === 0 || v.length > maxLength || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= MAX_CONFIG_INTEGER)) {
      this.fail(`config.${key} must be a list of 1 to ${maxLength} integers >= ${min}, got ${shown(v)}`);
    }
    return v as number[];
  }

  /** number(), or null where the value is JSON null (an option whose null has a meaning of its own). */
  numberOrNull(key: string, min?: number, max?: number, fallback?: number | null): number | null {
    const v = this.take(key);
    if (v === null || (v === undefined && fallback === null)) return null;
    return this.number(key, min, max, fallback ?? undefined);
  }

  /** One child layer. */
  layer(key: string): Module {
    const v = this.take(key);
    if (v === undefined) this.fail(`config.${key} is missing (a layer description)`);
    return this.context.build(v, `${this.path}.${key}`);
  }

  /** A list of child layers. */
  layers(key: string): Module[] {
    const v = this.take(key);
    if (!Array.isArray(v)) this.fail(`config.${key} must be an array of layer descriptions, got ${shown(v)}`);
    return v.map((spec, i) => this.context.build(spec, `${this.path}.${key}[${i}]`));
  }

  /** Claims `count` parameter elements from the budget before the layer allocates them. */
  reserveParameters(count: number): void {
    if (!Number.isSafeInteger(count) || count > this.context.budget) {
      this.fail(
        `the layer would hold ${count} parameter values, more than the ${this.context.budget} left of what the weights hold ` +
          '(the description does not match its weights, or is hostile)',
      );
    }
    this.context.budget -= count;
  }

  /** Rejects keys no accessor read. */
  finish(): void {
    for (const key of Object.keys(this.config)) {
      if (!this.used.has(key)) this.fail(`unknown option config.${key}`);
    }
  }
}
