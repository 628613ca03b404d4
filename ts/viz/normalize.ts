/**
 * From float values to 8-bit levels, as torchvision's make_grid/save_image:
 * a value range [lo, hi] maps linearly onto 0…255 (clamped, rounded half
 * up); min-max normalisation takes the range from the values themselves
 * (a constant block, whose range is empty, comes out black, as there).
 * NaN stands for "no pixel here" (a patch reaching past the image's edge)
 * and gets the background level instead.
 */
import { createImage, Image } from './image';

/** How one picture's values become levels: their own min and max, [0, 1] as they are ('none'), or a given [lo, hi]. */
export type ImageNormalize = 'minmax' | 'none' | readonly [number, number];

/**
 * How the values of many tiles become levels: each tile (or each filter)
 * min-max on its own ('each'), all tiles on their common min and max
 * ('all'), [0, 1] as they are ('none'), or a given [lo, hi].
 */
export type GridNormalize = 'each' | 'all' | 'none' | readonly [number, number];

/** torchvision's floor for an empty range, so constant blocks do not divide by zero. */
const SMALLEST_RANGE = 1e-5;

function checkRange(v: readonly unknown[], where: string, name: string): readonly [number, number] {
  const [lo, hi] = v;
  if (v.length !== 2 || typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) {
    throw new RangeError(`${where}: ${name} as a range must be [lo, hi] with finite lo < hi, got ${JSON.stringify(v)}`);
  }
  return [lo, hi];
}

/** Checks a normalize option against the words it may be; a [lo, hi] pair is always allowed. */
export function checkNormalize<W extends string>(v: unknown, words: readonly W[], where: string, name = 'normalize'): W | readonly [number, number] {
  if (Array.isArray(v)) return checkRange(v, where, name);
  if (typeof v === 'string' && (words as readonly string[]).includes(v)) return v as W;
  throw new RangeError(`${where}: ${name} must be ${words.map((w) => `'${w}'`).join(', ')} or a range [lo, hi], got ${JSON.stringify(v)}`);
}

/** The smallest and largest non-NaN value of values[start, end); [NaN, NaN] when there is none. */
export function finiteRange(values: Float32Array, start = 0, end = values.length): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < end; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo > hi ? [NaN, NaN] : [lo, hi];
}

/** The level (0…255) of v on the range [lo, hi]. */
export function level(v: number, lo: number, hi: number): number {
  const t = (v - lo) / Math.max(hi - lo, SMALLEST_RANGE);
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.floor(t * 255 + 0.5);
}

/** The range a normalize setting gives values[start, end) ('minmax', 'each' and 'all' read it off the values). */
export function rangeFor(normalize: string | readonly [number, number], values: Float32Array, start = 0, end = values.length): readonly [number, number] {
  if (Array.isArray(normalize)) return normalize as readonly [number, number];
  return normalize === 'none' ? [0, 1] : finiteRange(values, start, end);
}

/**
 * Images from planar blocks: `count` blocks of `channels` planes of
 * height × width values each (NCHW), each block one Image. Under 'each' the
 * range is taken per group of `groupSize` consecutive blocks (a filter's
 * tiles share one); NaN becomes `background`.
 */
export function planesToImages(
  values: Float32Array, count: number, channels: 1 | 3, height: number, width: number,
  normalize: GridNormalize, background: number, groupSize = 1,
): Image[] {
  const plane = height * width;
  const block = channels * plane;
  const global = normalize === 'each' ? null : rangeFor(normalize, values, 0, count * block);
  const images: Image[] = [];
  for (let n = 0; n < count; n++) {
    const first = Math.floor(n / groupSize) * groupSize;
    const [lo, hi] = global ?? finiteRange(values, first * block, Math.min(count, first + groupSize) * block);
    const image = createImage(width, height, channels);
    for (let c = 0; c < channels; c++) {
      const src = n * block + c * plane;
      for (let i = 0; i < plane; i++) {
        const v = values[src + i];
        image.data[i * channels + c] = Number.isNaN(v) ? background : level(v, lo, hi);
      }
    }
    images.push(image);
  }
  return images;
}
