/** Nested JS arrays <-> flat data and shape, with errors that point at the bad element. */
import { describe, formatShape, MAX_NUMEL } from './shape';

export type NestedArray = number | NestedArray[];

/** Shape of a nested array, checking that it is rectangular and holds only numbers. */
export function inferShape(data: unknown, op: string): number[] {
  const shape: number[] = [];
  let level: unknown = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  checkRectangular(data, shape, 0, [], op);
  return shape;
}

function checkRectangular(v: unknown, shape: number[], depth: number, path: number[], op: string): void {
  const where = () => (path.length ? `data${path.map((i) => `[${i}]`).join('')}` : 'data');
  if (depth === shape.length) {
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`${op}: ${where()} must be a number, got ${describe(v)}`);
    }
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[depth]) {
    const got = Array.isArray(v) ? `length ${v.length}` : describe(v);
    throw new RangeError(
      `${op}: nested arrays are not rectangular: ${where()} should be an array of length ${shape[depth]} (shape ${formatShape(shape)}), got ${got}`,
    );
  }
  for (let i = 0; i < v.length; i++) {
    path.push(i);
    checkRectangular(v[i], shape, depth + 1, path, op);
    path.pop();
  }
}

/** Writes the numbers of a rectangular nested array, in row-major order, into out. */
export function flattenInto(data: unknown, out: { [i: number]: number }, count: number): void {
  if (count > MAX_NUMEL) throw new RangeError(`too many elements (${count})`);
  let k = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const e of v) walk(e);
    else out[k++] = Number(v);
  };
  walk(data);
}

/** Rebuilds nested arrays (a plain number for a 0-d shape). */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0];
  let k = 0;
  const build = (depth: number): NestedArray[] => {
    const n = shape[depth];
    const out = new Array<NestedArray>(n);
    if (depth === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = data[k++];
    } else {
      for (let i = 0; i < n; i++) out[i] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}
