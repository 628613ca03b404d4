/**
 * Models with several outputs (deep supervision, auxiliary classifiers): a
 * forward that returns an array or a record of tensors instead of one. This
 * file says how such outputs, and the targets that go with them, are laid
 * out, named and walked. An array's outputs are named `output0`, `output1`, …
 * (in logs and in the records that address them); a record's by its keys.
 */
import { Tensor } from '../tensor/tensor';
import type { AnyModule, ModuleOutput } from '../nn/module';

/** Targets of a batch: one tensor for a one-output model, else one per output (an array or a record, as the outputs). */
export type Targets = ModuleOutput;

/** One value, or one per output as an array or a record of named values. */
export type PerOutput<T> = T | readonly T[] | { readonly [name: string]: T };

/** What a model's forward returns. */
export type OutputOf<M extends AnyModule> = ReturnType<M['forward']>;

/** How a model's outputs (or a batch's targets) are laid out. */
export type Layout =
  | { readonly kind: 'single' }
  | { readonly kind: 'array'; readonly names: readonly string[] }
  | { readonly kind: 'record'; readonly names: readonly string[] };

export const SINGLE: Layout = { kind: 'single' };

/** Whether `v` is a plain object (a record of named values), not a class instance such as a Tensor. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

/** The name of output `i` of a model that returns an array. */
export function arrayOutputName(i: number): string {
  return `output${i}`;
}

/**
 * The layout of a per-output structure whose leaves `isLeaf` recognises, or
 * null when `v` is neither a leaf, nor a non-empty array or record of leaves.
 */
export function layoutOf(v: unknown, isLeaf: (x: unknown) => boolean): Layout | null {
  if (isLeaf(v)) return SINGLE;
  if (Array.isArray(v)) {
    if (v.length === 0 || !v.every(isLeaf)) return null;
    return { kind: 'array', names: v.map((_, i) => arrayOutputName(i)) };
  }
  if (isRecord(v)) {
    const names = Object.keys(v);
    if (names.length === 0 || !names.every((k) => isLeaf(v[k]))) return null;
    return { kind: 'record', names };
  }
  return null;
}

export const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

/** The layout of what a model returned; a TypeError when it is not a tensor, nor an array or record of tensors. */
export function outputLayout(pred: unknown, where: string): Layout {
  const layout = layoutOf(pred, isTensor);
  if (layout === null) {
    throw new TypeError(`${where}: the model's forward must return a Tensor, or a non-empty array or record of tensors (one per output)`);
  }
  return layout;
}

/** The parts of a structure laid out as `layout`, in the layout's order. */
export function partsOf<T>(v: PerOutput<T>, layout: Layout): T[] {
  if (layout.kind === 'single') return [v as T];
  if (layout.kind === 'array') return [...(v as readonly T[])];
  const record = v as { readonly [name: string]: T };
  return layout.names.map((n) => record[n]);
}

/** A structure of the same layout as `v`, each leaf replaced by fn(leaf). */
export function mapLeaves<T, U>(v: PerOutput<T>, layout: Layout, fn: (leaf: T, name: string) => U): PerOutput<U> {
  if (layout.kind === 'single') return fn(v as T, '');
  if (layout.kind === 'array') return (v as readonly T[]).map((leaf, i) => fn(leaf, layout.names[i]));
  const record = v as { readonly [name: string]: T };
  const out: Record<string, U> = {};
  for (const n of layout.names) out[n] = fn(record[n], n);
  return out;
}

/** Whether two layouts are the same (same kind, same names in the same order for arrays, the same set of names for records). */
export function sameLayout(a: Layout, b: Layout): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'single' || b.kind === 'single') return true;
  if (a.names.length !== b.names.length) return false;
  return a.kind === 'array' ? true : a.names.every((n) => b.names.includes(n));
}

/** A layout in words, for messages: "one tensor", "an array of 2 outputs", "a record of outputs main, aux". */
export function describeLayout(l: Layout): string {
  if (l.kind === 'single') return 'one tensor';
  if (l.kind === 'array') return `an array of ${l.names.length} tensors`;
  return `a record of ${l.names.map((n) => JSON.stringify(n)).join(', ')}`;
}
