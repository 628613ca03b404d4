/** What a layer makes of an input: its output channels, as tensors and as a grid of grey tiles. */
import type { Tensor } from '../tensor/tensor';
import type { AnyModule } from '../nn/module';
import { formatShape } from '../tensor/shape';
import { reshape } from '../ops/view';
import { rejectUnknownOptions } from '../options';
import { floatTensor } from './checks';
import { captureLayerOutput, checkModel, LayerRef, resolveLayer } from './capture';
import { GRID_LAYOUT_OPTIONS, GridLayoutOptions, gridLayout, tileImages } from './grid';
import { Image } from './image';
import { checkNormalize, GridNormalize, planesToImages } from './normalize';

/**
 * The output of `layer` (a module of `model` or its dotted name) when
 * `model` runs on `input` [N, ...] in evaluation mode without a graph. With
 * one sample (N = 1) the batch dimension is dropped: a convolution's maps
 * come as [channels, H, W]; with several they keep it: [N, channels, H, W].
 */
export function featureMaps(model: AnyModule, layer: LayerRef, input: Tensor): Tensor {
  const where = 'featureMaps';
  return layerOutput(model, layer, input, where).maps;
}

function layerOutput(model: AnyModule, layer: LayerRef, input: Tensor, where: string): { maps: Tensor; name: string } {
  checkModel(model, where);
  floatTensor(input, [2, 3, 4, 5], where, 'input', '[N, ...] (e.g. [1, C, H, W])');
  const { module, name } = resolveLayer(model, layer, where);
  const out = captureLayerOutput(model, module, input, where, name);
  if (input.shape[0] !== 1) return { maps: out, name };
  if (out.shape[0] !== 1) throw new RangeError(`${where}: layer '${name}' gave ${formatShape(out.shape)} for one sample; expected a batch dimension of 1 first`);
  return { maps: reshape(out, out.shape.slice(1)), name };
}

export interface FeatureMapGridOptions extends GridLayoutOptions {
  /** 'each' (default): every map min-max on its own; 'all': one range for all; 'none': [0, 1]; or [lo, hi]. */
  normalize?: GridNormalize;
  /** The channels to show, in this order (default all). */
  channels?: readonly number[];
}

/** Checks a list of channel indices against a channel count. */
export function checkChannels(channels: unknown, count: number, where: string): number[] {
  if (channels === undefined) return Array.from({ length: count }, (_, i) => i);
  if (!Array.isArray(channels) || channels.length === 0) throw new TypeError(`${where}: channels must be a non-empty array of channel indices`);
  for (const c of channels) {
    if (!Number.isInteger(c) || c < 0 || c >= count) throw new RangeError(`${where}: channel ${JSON.stringify(c)} is not in [0, ${count}) (the layer has ${count} channels)`);
  }
  return channels.slice();
}

/**
 * The maps featureMaps gives for one sample [1, ...], each channel a grey
 * tile (nrow defaults to a square grid). The layer must output images
 * [1, channels, H, W].
 */
export function featureMapGrid(model: AnyModule, layer: LayerRef, input: Tensor, options: FeatureMapGridOptions = {}): Image {
  const where = 'featureMapGrid';
  rejectUnknownOptions(options, [...GRID_LAYOUT_OPTIONS, 'normalize', 'channels'], where);
  const normalize = checkNormalize(options.normalize ?? 'each', ['each', 'all', 'none'], where);
  if (floatTensor(input, [2, 3, 4, 5], where, 'input', '[1, ...] (e.g. [1, C, H, W])').shape[0] !== 1) {
    throw new RangeError(`${where}: input must hold one sample [1, ...], got ${formatShape(input.shape)}; pick one with input.narrow(0, i, 1)`);
  }
  const { maps, name } = layerOutput(model, layer, input, where);
  if (maps.ndim !== 3) throw new RangeError(`${where}: layer '${name}' outputs ${formatShape([1, ...maps.shape])}, not feature maps [1, channels, H, W]`);
  const [k, h, w] = maps.shape;
  const channels = checkChannels(options.channels, k, where);
  const layout = gridLayout(options, Math.ceil(Math.sqrt(channels.length)), where);
  const data = maps._f32(where);
  const picked = new Float32Array(channels.length * h * w);
  channels.forEach((c, i) => picked.set(data.subarray(c * h * w, (c + 1) * h * w), i * h * w));
  return tileImages(planesToImages(picked, channels.length, 1, h, w, normalize, layout.padLevel), layout);
}
