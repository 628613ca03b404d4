/** Element types: float32 is the compute type; int32 holds labels and indices. */
export type DType = 'float32' | 'int32';

export const DTYPES: readonly DType[] = ['float32', 'int32'];

/** Checks a user-given dtype; TypeError naming `where` otherwise. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'int32') return dtype;
  throw new TypeError(`${where}: dtype must be 'float32' or 'int32', got ${JSON.stringify(dtype)}`);
}

export type TypedData = Float32Array | Int32Array;
