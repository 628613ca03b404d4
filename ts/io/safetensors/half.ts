/**
 * Conversions between float32 and the narrow float formats of the
 * safetensors dtypes: IEEE half (F16), bfloat16 (BF16) and the two 8-bit
 * formats (F8_E4M3, the "fn" variant without infinities, and F8_E5M2). Every
 * narrow value is exactly representable in float32, so reading is lossless;
 * writing F16/BF16 rounds to nearest, ties to even.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function bfloat16BitsToFloat(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0];
}

/** float32 → bfloat16 bits, rounding to nearest even; NaN stays a quiet NaN. */
export function floatToBfloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

/** float32 → IEEE half bits, rounding to nearest even; overflow gives ±Infinity. */
export function floatToHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the full significand into place, rounding to nearest even.
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mantissa & ((1 << shift) - 1);
    let m = mantissa >>> shift;
    if (rest > half || (rest === half && (m & 1))) m += 1;
    return sign | m;
  }
  const rest = mantissa & 0x1fff;
  let bits = (e << 10) | (mantissa >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && (bits & 1))) bits += 1; // may carry into the exponent: correct
  return sign | bits;
}

function buildF8Table(exponentBits: number, mantissaBits: number, finiteOnly: boolean): Float32Array {
  const table = new Float32Array(256);
  const bias = (1 << (exponentBits - 1)) - 1;
  const maxExponent = (1 << exponentBits) - 1;
  for (let b = 0; b < 256; b++) {
    const sign = b & 0x80 ? -1 : 1;
    const exponent = (b >> mantissaBits) & maxExponent;
    const mantissa = b & ((1 << mantissaBits) - 1);
    const scale = 1 << mantissaBits;
    let v: number;
    if (exponent === 0) v = sign * (mantissa / scale) * 2 ** (1 - bias);
    else if (finiteOnly && exponent === maxExponent && mantissa === scale - 1) v = NaN;
    else if (!finiteOnly && exponent === maxExponent) v = mantissa ? NaN : sign * Infinity;
    else v = sign * (1 + mantissa / scale) * 2 ** (exponent - bias);
    table[b] = v;
  }
  return table;
}

/** Value of each F8_E4M3 byte (bias 7, no infinities, S.1111.111 is NaN; largest finite 448). */
export const F8_E4M3_VALUES = buildF8Table(4, 3, true);
/** Value of each F8_E5M2 byte (bias 15, IEEE-style infinities and NaNs; largest finite 57344). */
export const F8_E5M2_VALUES = buildF8Table(5, 2, false);
