/**
 * Zeiler and Fergus's view of a deep unit: for each channel, the patches of
 * the images that excite it most, each cropped to the receptive field of the
 * map position where the maximum was; one row of k patches per channel.
 *
 * The receptive field is exact along a Sequential path of convolutions,
 * poolings and pointwise layers (see receptive-field.ts). Elsewhere it is
 * approximated: the map is taken to cover the image evenly (stride = image
 * size / map size, rounded), and the patch is twice that stride plus one,
 * centred on the position; pass `receptiveField` to give the real one.
 * Where a patch reaches past the image's edge the background (padValue) shows.
 */
import type { AnyModule } from '../nn/module';
import { formatShape } from '../tensor/shape';
import { rejectUnknownOptions } from '../options';
import { TensorOrArray, toTensor } from '../train/batches';
import { floatTensor, integerOption } from './checks';
import { LayerRef, resolveLayer } from './capture';
import { GridLayoutOptions, gridLayout, tileImages } from './grid';
import { Image } from './image';
import { checkNormalize, GridNormalize, planesToImages } from './normalize';
import { ReceptiveField, receptiveFieldOf } from './receptive-field';
import { rankImages, TopActivationsOptions } from './top-activations';

/** A receptive field given by hand: per axis [rows, columns], or one number for both. */
export interface ReceptiveFieldSpec {
  size: number | [number, number];
  stride: number | [number, number];
  /** Default 0. */
  padding?: number | [number, number];
}

export interface TopPatchesOptions extends TopActivationsOptions, Omit<GridLayoutOptions, 'nrow'> {
  /** The receptive field of the layer's output in the input, when it cannot be derived from the model (see the module comment). */
  receptiveField?: ReceptiveFieldSpec;
  /** 'all' (default): one range for every patch; 'each': per patch; 'none': [0, 1]; or [lo, hi]. */
  normalize?: GridNormalize;
}

function checkField(rf: unknown, where: string): ReceptiveField {
  const pairOf = (v: unknown, name: string, min: number): [number, number] => {
    const p = typeof v === 'number' ? [v, v] : v;
    if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => Number.isInteger(x) && x >= min)) {
      throw new RangeError(`${where}: receptiveField.${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
    }
    return [p[0], p[1]];
  };
  if (rf === null || typeof rf !== 'object') throw new TypeError(`${where}: receptiveField must be { size, stride, padding }`);
  rejectUnknownOptions(rf, ['size', 'stride', 'padding'], `${where}: receptiveField`);
  const r = rf as Record<string, unknown>;
  return { size: pairOf(r.size, 'size', 1), stride: pairOf(r.stride, 'stride', 1), padding: pairOf(r.padding ?? 0, 'padding', 0) };
}

/** The approximation used when the geometry is unknown (see the module comment). */
function evenField(imageSize: readonly [number, number], map: readonly [number, number]): ReceptiveField {
  const stride = [0, 1].map((a) => Math.max(1, Math.round(imageSize[a] / map[a]))) as [number, number];
  const size = stride.map((s) => 2 * s + 1) as [number, number];
  return { size, stride, padding: [Math.floor((size[0] - stride[0]) / 2), Math.floor((size[1] - stride[1]) / 2)] };
}

/** Pixels [C, size] of image n around map position (row, col); NaN outside the image. */
function crop(x: Float32Array, n: number, [c, h, w]: readonly number[], rf: ReceptiveField, [row, col]: readonly [number, number], out: Float32Array, at: number): void {
  const [ph, pw] = rf.size;
  const top = row * rf.stride[0] - rf.padding[0];
  const left = col * rf.stride[1] - rf.padding[1];
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < ph; y++) {
      for (let xx = 0; xx < pw; xx++) {
        const [iy, ix] = [top + y, left + xx];
        const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
        out[at + (ch * ph + y) * pw + xx] = inside ? x[((n * c + ch) * h + iy) * w + ix] : NaN;
      }
    }
  }
}

/**
 * One row per channel of `layer`: the receptive-field patches of the k
 * images (of `images` [N, C, H, W], C = 1 or 3) that excite the channel most,
 * strongest first (see topActivations for the ranking).
 */
export async function topPatches(model: AnyModule, layer: LayerRef, images: TensorOrArray, options: TopPatchesOptions = {}): Promise<Image> {
  const where = 'topPatches';
  rejectUnknownOptions(options, ['k', 'batchSize', 'channels', 'receptiveField', 'normalize', 'padding', 'padValue', 'scale'], where);
  const x = floatTensor(toTensor(images, where, 'images'), [4], where, 'images', '[N, C, H, W]');
  const [, c, h, w] = x.shape;
  if (c !== 1 && c !== 3) throw new RangeError(`${where}: images ${formatShape(x.shape)} have ${c} channels; patches show 1 (grey) or 3 (RGB)`);
  const normalize = checkNormalize(options.normalize ?? 'all', ['each', 'all', 'none'], where);
  const given = options.receptiveField === undefined ? null : checkField(options.receptiveField, where);
  // One row of k patches per channel.
  const layout = gridLayout({ ...options, nrow: integerOption(options.k, 9, 1, where, 'k') }, 1, where);
  const ranked = await rankImages(model, layer, x, { k: options.k, batchSize: options.batchSize, channels: options.channels }, where);
  const rf = given ?? receptiveFieldOf(model, resolveLayer(model, layer, where).module) ?? evenField([h, w], ranked.mapSize);
  const block = c * rf.size[0] * rf.size[1];
  // Channels with fewer than k images (a small data set) keep their row: the rest of it stays blank (NaN).
  const patches = new Float32Array(ranked.channels.length * layout.nrow * block).fill(NaN);
  const data = x._f32(where);
  ranked.channels.forEach((ch, i) => {
    ch.indices.forEach((n, j) => {
      if (j < layout.nrow) crop(data, n, [c, h, w], rf, ch.positions[j], patches, (i * layout.nrow + j) * block);
    });
  });
  const count = ranked.channels.length * layout.nrow;
  return tileImages(planesToImages(patches, count, c, rf.size[0], rf.size[1], normalize, layout.padLevel), layout);
}
