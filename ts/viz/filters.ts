/**
 * A convolution's kernels as pictures (the first layer's filters of a trained
 * net look like edge and colour detectors). The weight is [out, in, kh, kw]
 * (OIHW, as Conv2d holds it); how the `in` kernels of one filter are shown:
 *
 * - 'rgb' (the default when in = 3): one colour tile per filter, the three
 *   input channels as red, green, blue;
 * - 'each' (the default otherwise): one grey tile per (out, in) pair, one row
 *   per filter (nrow defaults to `in`), so no input channel is hidden;
 * - 'mean': one grey tile per filter, its input channels averaged;
 * - 'first': one grey tile per filter, its first input channel only.
 *
 * normalize 'each' (the default) takes the range per filter: all tiles of a
 * filter share one, so their relative strength shows.
 */
import { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';
import { Conv2d } from '../nn/layers/conv';
import { rejectUnknownOptions } from '../options';
import { describe, floatTensor } from './checks';
import { GRID_LAYOUT_OPTIONS, GridLayoutOptions, gridLayout, tileImages } from './grid';
import { Image } from './image';
import { checkNormalize, GridNormalize, planesToImages } from './normalize';

export type FilterChannels = 'rgb' | 'each' | 'mean' | 'first';

export interface FilterGridOptions extends GridLayoutOptions {
  /** How a filter's input channels are shown (see the module comment). */
  channels?: FilterChannels;
  /** 'each' (default): per filter; 'all': one range for the whole layer; 'none': [0, 1]; or [lo, hi]. */
  normalize?: GridNormalize;
}

function weightOf(conv: Conv2d | Tensor, where: string): Tensor {
  if (conv instanceof Conv2d) return conv.weight;
  if (conv instanceof Tensor) return floatTensor(conv, [4], where, 'conv', '[out, in, kh, kw]');
  throw new TypeError(`${where}: conv must be an nn.Conv2d or its weight tensor [out, in, kh, kw], got ${describe(conv)}`);
}

/** One input channel per filter: the mean of the `inC` planes, or the first. */
function collapseChannels(w: Float32Array, out: number, inC: number, plane: number, how: 'mean' | 'first'): Float32Array {
  const result = new Float32Array(out * plane);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < plane; i++) {
      let s = 0;
      const count = how === 'mean' ? inC : 1;
      for (let c = 0; c < count; c++) s += w[(o * inC + c) * plane + i];
      result[o * plane + i] = s / count;
    }
  }
  return result;
}

/** The layer's kernels tiled into one image (see the module comment). */
export function filterGrid(conv: Conv2d | Tensor, options: FilterGridOptions = {}): Image {
  const where = 'filterGrid';
  rejectUnknownOptions(options, [...GRID_LAYOUT_OPTIONS, 'channels', 'normalize'], where);
  const weight = weightOf(conv, where);
  const [out, inC, kh, kw] = weight.shape;
  const channels = options.channels ?? (inC === 3 ? 'rgb' : 'each');
  if (!['rgb', 'each', 'mean', 'first'].includes(channels)) {
    throw new RangeError(`${where}: channels must be 'rgb', 'each', 'mean' or 'first', got ${JSON.stringify(channels)}`);
  }
  if (channels === 'rgb' && inC !== 3) {
    throw new RangeError(`${where}: channels 'rgb' needs 3 input channels, the weight ${formatShape(weight.shape)} has ${inC}; use 'each', 'mean' or 'first'`);
  }
  const normalize = checkNormalize(options.normalize ?? 'each', ['each', 'all', 'none'], where);
  const w = weight._f32(where);
  const plane = kh * kw;
  const perFilter = channels === 'each' ? inC : 1;
  const layout = gridLayout(options, perFilter > 1 ? perFilter : Math.ceil(Math.sqrt(out)), where);
  let tiles: Image[];
  if (channels === 'rgb') tiles = planesToImages(w, out, 3, kh, kw, normalize, layout.padLevel);
  else if (channels === 'each') tiles = planesToImages(w, out * inC, 1, kh, kw, normalize, layout.padLevel, inC);
  else tiles = planesToImages(collapseChannels(w, out, inC, plane, channels), out, 1, kh, kw, normalize, layout.padLevel);
  return tileImages(tiles, layout);
}
