/** Argument checks shared by ops: every message names the op and what was wrong. */
import type { DType } from '../tensor/dtype';
import { describe, formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

export function checkTensor(t: unknown, op: string, name: string, dtype?: DType): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${describe(t)}`);
  if (dtype !== undefined && t.dtype !== dtype) {
    const hint = dtype === 'int32' ? " (create it with { dtype: 'int32' })" : '';
    throw new TypeError(`${op}: ${name} must be ${dtype}, got ${t.dtype} (shape ${formatShape(t.shape)})${hint}`);
  }
  return t;
}

/** A finite number (scalars that would only produce NaN or inf are refused). */
export function checkFinite(v: unknown, op: string, name: string): number {
  if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${op}: ${name} must be finite, got ${v}`);
  return v;
}

export function checkInteger(v: unknown, op: string, name: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be an integer, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = min === -Infinity ? '' : max === Infinity ? ` >= ${min}` : ` in [${min}, ${max}]`;
    throw new RangeError(`${op}: ${name} must be an integer${range}, got ${v}`);
  }
  return v;
}

export function checkBoolean(v: unknown, op: string, name: string): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${op}: ${name} must be a boolean, got ${describe(v)}`);
  return v;
}

export function shapeOf(t: Tensor): string {
  return formatShape(t.shape);
}
