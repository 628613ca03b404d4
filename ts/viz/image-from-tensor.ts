/** One tensor as one picture: [H, W] grey, [C, H, W] (or a batch of one, [1, C, H, W]) grey or RGB. */
import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';
import { rejectUnknownOptions } from '../options';
import { floatTensor, integerOption } from './checks';
import { Image, upscale } from './image';
import { checkNormalize, ImageNormalize, planesToImages } from './normalize';

export interface ImageFromTensorOptions {
  /**
   * 'minmax' (default): the tensor's own smallest value is black and its
   * largest white; 'none': values in [0, 1] as they are (clamped); a pair
   * `[lo, hi]`: lo black, hi white.
   */
  normalize?: ImageNormalize;
  /** Integer nearest-neighbour upscaling (default 1). */
  scale?: number;
}

/** Splits t into (channels, height, width), or a RangeError saying which shapes are pictures. */
export function pictureShape(t: Tensor, where: string, name: string): [1 | 3, number, number] {
  const s = t.shape;
  const [c, h, w] = s.length === 2 ? [1, s[0], s[1]] : s.length === 3 ? [s[0], s[1], s[2]] : s[0] === 1 ? [s[1], s[2], s[3]] : [0, 0, 0];
  if (c !== 1 && c !== 3) {
    const hint = s.length === 4 && s[0] !== 1 ? 'a batch of several images is makeGrid\'s job' : 'pick 1 or 3 channels first, e.g. t.narrow(0, 0, 3)';
    throw new RangeError(`${where}: ${name} of shape ${formatShape(s)} is not a grey or RGB picture ([H, W], [1 or 3, H, W] or [1, 1 or 3, H, W]); ${hint}`);
  }
  return [c, h, w];
}

/** The tensor as an 8-bit image (see ImageFromTensorOptions for how values become levels). */
export function imageFromTensor(t: Tensor, options: ImageFromTensorOptions = {}): Image {
  const where = 'imageFromTensor';
  rejectUnknownOptions(options, ['normalize', 'scale'], where);
  floatTensor(t, [2, 3, 4], where, 't', '[H, W], [C, H, W] or [1, C, H, W]');
  const [c, h, w] = pictureShape(t, where, 't');
  const normalize = checkNormalize(options.normalize ?? 'minmax', ['minmax', 'none'], where);
  const scale = integerOption(options.scale, 1, 1, where, 'scale');
  const [image] = planesToImages(t._f32(where), 1, c, h, w, normalize === 'minmax' ? 'all' : normalize, 0);
  return upscale(image, scale);
}
