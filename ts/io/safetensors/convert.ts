/**
 * Turning a tensor's little-endian bytes into the array dendrite computes
 * with: float32 for the float dtypes, int32 for the integer ones.
 *   F32, I32                       copied as they are
 *   F16, BF16, F8_E4M3, F8_E5M2    widened to float32 (exact)
 *   F64                            rounded to the nearest float32 (the one lossy case)
 *   BOOL, U8, I8, I16, U16         widened to int32 (exact); BOOL bytes must be 0 or 1
 *   U32, I64, U64                  narrowed to int32 only when every value fits, else an error
 */
import { HOST_IS_LITTLE_ENDIAN, SafetensorsDtype } from './dtypes';
import { SafetensorsError } from './errors';
import { F8_E4M3_VALUES, F8_E5M2_VALUES, bfloat16BitsToFloat, halfBitsToFloat } from './half';

export type LoadedArray = Float32Array | Int32Array;

/** Reverses the bytes of each `size`-byte element in place (for big-endian hosts). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** An empty array of the in-memory type for `dtype` whose bytes can be filled straight from the file (F32 and I32 only), or null. */
export function directTarget(dtype: SafetensorsDtype, count: number): LoadedArray | null {
  if (dtype === 'F32') return new Float32Array(count);
  if (dtype === 'I32') return new Int32Array(count);
  return null;
}

/** Fixes the byte order of an array filled by directTarget. */
export function finishDirect(array: LoadedArray): LoadedArray {
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), 4);
  return array;
}

function narrowToInt32(name: string, source: string, count: number, valueAt: (i: number) => bigint | number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = valueAt(i);
    if (v < -2147483648 || v > 2147483647) {
      throw new SafetensorsError(source, `tensor ${JSON.stringify(name)}: element ${i} (${v}) does not fit in int32`);
    }
    out[i] = Number(v);
  }
  return out;
}

/** Converts `bytes` (exactly count · size bytes of one tensor) to float32 or int32. */
export function convertTensorBytes(name: string, dtype: SafetensorsDtype, bytes: Uint8Array, count: number, source: string): LoadedArray {
  const direct = directTarget(dtype, count);
  if (direct) {
    new Uint8Array(direct.buffer).set(bytes);
    return finishDirect(direct);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfBitsToFloat(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = bfloat16BitsToFloat(view.getUint16(2 * i, true));
      return out;
    }
    case 'F8_E4M3':
    case 'F8_E5M2': {
      const table = dtype === 'F8_E4M3' ? F8_E4M3_VALUES : F8_E5M2_VALUES;
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[bytes[i]];
      return out;
    }
    case 'F64': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    case 'BOOL': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        if (bytes[i] > 1) throw new SafetensorsError(source, `tensor ${JSON.stringify(name)}: BOOL element ${i} is ${bytes[i]}, not 0 or 1`);
        out[i] = bytes[i];
      }
      return out;
    }
    case 'U8':
      return Int32Array.from(bytes);
    case 'I8': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return out;
    }
    case 'I16': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      return out;
    }
    case 'U16': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getUint16(2 * i, true);
      return out;
    }
    case 'U32':
      return narrowToInt32(name, source, count, (i) => view.getUint32(4 * i, true));
    case 'I64':
      return narrowToInt32(name, source, count, (i) => view.getBigInt64(8 * i, true));
    case 'U64':
      return narrowToInt32(name, source, count, (i) => view.getBigUint64(8 * i, true));
    default:
      throw new SafetensorsError(source, `tensor ${JSON.stringify(name)}: dtype ${dtype} cannot be read`);
  }
}
