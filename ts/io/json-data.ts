/**
 * Plain data through JSON, exactly: finite numbers are written as JSON
 * numbers (which round-trip every double), and NaN, Infinity and -Infinity,
 * which JSON cannot hold, as {"$float": "NaN"} and the like. Anything that is
 * not plain data (functions, class instances, typed arrays, undefined inside
 * arrays, cycles) is refused with the place it was found.
 */
import type { JsonValue } from './safetensors/strict-json';

const FLOAT_TAG = '$float';

/** Plain data: what toJsonData accepts. */
export type PlainData = null | boolean | number | string | PlainData[] | { [key: string]: PlainData };

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `value` as JSON-safe data; throws TypeError naming `where` for anything that is not plain data. */
export function toJsonData(value: unknown, where: string, seen: Set<object> = new Set()): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { [FLOAT_TAG]: String(value) };
  }
  if (typeof value !== 'object') throw new TypeError(`${where} is a ${typeof value}, which a checkpoint cannot hold (plain data only)`);
  if (seen.has(value)) throw new TypeError(`${where} refers back to itself (a cycle)`);
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => toJsonData(v, `${where}[${i}]`, seen));
    if (!isPlainObject(value)) {
      throw new TypeError(`${where} is a ${value.constructor?.name ?? 'class instance'}, which a checkpoint cannot hold (plain objects, arrays, numbers, strings, booleans, null)`);
    }
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue; // as JSON.stringify does for object fields
      out[k] = toJsonData(v, `${where}.${k}`, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function isFloatTag(v: { [key: string]: JsonValue }): number | undefined {
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== FLOAT_TAG) return undefined;
  const t = v[FLOAT_TAG];
  if (t === 'NaN') return NaN;
  if (t === 'Infinity') return Infinity;
  if (t === '-Infinity') return -Infinity;
  return undefined;
}

/** The data toJsonData wrote (objects come back as ordinary objects; own keys only). */
export function fromJsonData(value: JsonValue): PlainData {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(fromJsonData);
  const tagged = isFloatTag(value);
  if (tagged !== undefined) return tagged;
  const out: { [key: string]: PlainData } = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a key such as "__proto__" stays an ordinary key.
    Object.defineProperty(out, k, { value: fromJsonData(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
