/**
 * A saliency map shown with its image: laid over it in a "hot" colour map
 * (black → red → yellow → white), each pixel blended in proportion to its
 * saliency so that unimportant pixels keep the image's own colour, or the two
 * side by side.
 */
import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';
import { rejectUnknownOptions } from '../options';
import { floatTensor, integerOption, numberOption } from './checks';
import { createImage, Image, sideBySide, toRgb, upscale } from './image';
import { imageFromTensor, pictureShape } from './image-from-tensor';
import { checkNormalize, finiteRange, ImageNormalize, level } from './normalize';

export interface SaliencyImageOptions {
  /** 'overlay' (default): the map over the image; 'side-by-side': image, then map. */
  mode?: 'overlay' | 'side-by-side';
  /** Strength of the overlay at the most salient pixel, 0…1 (default 0.7). */
  alpha?: number;
  /** How the image's values become levels (default 'minmax'; see imageFromTensor). */
  normalize?: ImageNormalize;
  /** Integer nearest-neighbour upscaling (default 1). */
  scale?: number;
}

/** The "hot" colour of t in [0, 1], as three 0…255 levels. */
export function hotColour(t: number): [number, number, number] {
  const ramp = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  return [ramp(3 * t), ramp(3 * t - 1), ramp(3 * t - 2)];
}

/** Saliency [H, W] (min-max normalised) as fractions in [0, 1]. */
function fractions(map: Tensor, where: string): Float32Array {
  const v = map._f32(where);
  const [lo, hi] = finiteRange(v);
  return v.map((x) => level(x, lo, hi) / 255);
}

/** The image `input` ([H, W], [C, H, W] or [1, C, H, W], C = 1 or 3) with its saliency map [H, W] (see the module comment). */
export function saliencyImage(input: Tensor, map: Tensor, options: SaliencyImageOptions = {}): Image {
  const where = 'saliencyImage';
  rejectUnknownOptions(options, ['mode', 'alpha', 'normalize', 'scale'], where);
  floatTensor(input, [2, 3, 4], where, 'input', '[H, W], [C, H, W] or [1, C, H, W]');
  const [, h, w] = pictureShape(input, where, 'input');
  floatTensor(map, [2], where, 'map', '[H, W]');
  if (map.shape[0] !== h || map.shape[1] !== w) throw new RangeError(`${where}: map ${formatShape(map.shape)} does not match the image's ${h}×${w}`);
  const mode = options.mode ?? 'overlay';
  if (mode !== 'overlay' && mode !== 'side-by-side') throw new RangeError(`${where}: mode must be 'overlay' or 'side-by-side', got ${JSON.stringify(mode)}`);
  const alpha = numberOption(options.alpha, 0.7, 0, 1, where, 'alpha');
  const scale = integerOption(options.scale, 1, 1, where, 'scale');
  const picture = toRgb(imageFromTensor(input, { normalize: checkNormalize<'minmax' | 'none'>(options.normalize ?? 'minmax', ['minmax', 'none'], where) }));
  const s = fractions(map, where);
  const heat = createImage(w, h, 3);
  s.forEach((t, i) => heat.data.set(hotColour(t), 3 * i));
  if (mode === 'side-by-side') return upscale(sideBySide([picture, heat], 2, 255), scale);
  const out = createImage(w, h, 3);
  for (let i = 0; i < h * w; i++) {
    const a = alpha * s[i];
    for (let c = 0; c < 3; c++) out.data[3 * i + c] = Math.round((1 - a) * picture.data[3 * i + c] + a * heat.data[3 * i + c]);
  }
  return upscale(out, scale);
}
