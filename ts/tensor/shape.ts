/** Shape arithmetic and the checks (with messages naming the op) every op shares. */
export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[2,3]`, as error messages show shapes. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides (in elements) of a dense tensor. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Largest element count of a tensor (what a Float32Array can hold). */
export const MAX_NUMEL = 2 ** 31 - 1;

/** Validates a user-given shape: an array of non-negative integers of bounded product. */
export function checkShape(shape: unknown, op: string): number[] {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${op}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number') throw new TypeError(`${op}: shape[${i}] must be a number, got ${describe(d)}`);
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: shape[${i}] must be a non-negative integer, got ${d} (shape ${formatShape(shape)})`);
    }
    n *= d;
  }
  if (n > MAX_NUMEL) throw new RangeError(`${op}: shape ${formatShape(shape)} has ${n} elements, more than ${MAX_NUMEL}`);
  return shape.slice();
}

/** Maps a possibly negative axis into [0, rank); RangeError naming the op otherwise. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new TypeError(`${op}: axis must be an integer, got ${describe(axis)}`);
  }
  if (axis < -rank || axis >= rank) {
    const range = rank === 0 ? 'a 0-d tensor has no axes' : `expected an axis in [${-rank}, ${rank - 1}]`;
    throw new RangeError(`${op}: axis ${axis} is out of range (${range})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** NumPy broadcasting of two shapes; RangeError naming the op and both shapes otherwise. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** A short description of an unexpected value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return String(v);
}
