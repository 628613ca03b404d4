/** Plain typed arrays with a shape: how the data layer hands out data before (and besides) Tensors. */

export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A row-major array and its shape. */
export interface ShapedArray<T extends ArrayLike<number> = Float32Array | Int32Array> {
  data: T;
  shape: number[];
}

export function productOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws unless shape is a list of non-negative integers whose product is `length`. */
export function checkShape(shape: readonly number[], length: number, what: string): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new RangeError(`${what}: shape must be non-negative integers, got [${shape}]`);
  }
  if (productOf(shape) !== length) {
    throw new RangeError(`${what}: shape [${shape.join(', ')}] holds ${productOf(shape)} elements but the data has ${length}`);
  }
}
