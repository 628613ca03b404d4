/**
 * What a unit deep in a network responds to, found by looking (as Zeiler and
 * Fergus did): run a data set through the model, and for every channel of a
 * layer keep the k images whose strongest response in that channel (the
 * maximum over its map) is largest, with where in the map it was.
 */
import type { Tensor } from '../tensor/tensor';
import type { AnyModule } from '../nn/module';
import { formatShape } from '../tensor/shape';
import { rejectUnknownOptions } from '../options';
import { takeRows, TensorOrArray, toTensor } from '../train/batches';
import { EventLoopYielder } from '../train/yielder';
import { floatTensor, integerOption } from './checks';
import { captureLayerOutput, checkModel, LayerRef, resolveLayer } from './capture';
import { checkChannels } from './feature-maps';

export interface TopActivationsOptions {
  /** Images kept per channel (default 9). */
  k?: number;
  /** Images run through the model at once (default 64). */
  batchSize?: number;
  /** The channels to rank images for (default all). */
  channels?: readonly number[];
}

/** One channel's strongest images, strongest first (ties: the earlier image first). */
export interface ChannelTopActivations {
  channel: number;
  /** Indices of the images in the data set. */
  indices: number[];
  /** Each image's maximum activation in the channel. */
  values: number[];
  /** [row, column] of that maximum in the layer's map ([0, 0] for a layer without one, output [N, channels]). */
  positions: Array<[number, number]>;
}

interface Entry {
  value: number;
  index: number;
  position: [number, number];
}

/** Keeps the k largest entries, sorted; an entry only displaces strictly smaller ones, so earlier images win ties. */
function offer(kept: Entry[], k: number, entry: Entry): void {
  if (kept.length === k && !(entry.value > kept[k - 1].value)) return;
  let at = kept.length;
  while (at > 0 && entry.value > kept[at - 1].value) at--;
  kept.splice(at, 0, entry);
  if (kept.length > k) kept.pop();
}

/** The map size of a layer output [B, K, H, W] or [B, K]. */
function mapSize(out: Tensor, where: string, name: string): [number, number] {
  if (out.ndim === 4) return [out.shape[2], out.shape[3]];
  if (out.ndim === 2) return [1, 1];
  throw new RangeError(`${where}: layer '${name}' outputs ${formatShape(out.shape)}; expected maps [N, channels, H, W] or units [N, channels]`);
}

export interface TopActivationsResult {
  /** The layer's dotted name in the model. */
  layer: string;
  /** The height and width of the layer's maps ([1, 1] for units). */
  mapSize: [number, number];
  channels: ChannelTopActivations[];
}

/** topActivations with the layer's name and map size, for topPatches. */
export async function rankImages(
  model: AnyModule, layer: LayerRef, images: TensorOrArray, options: TopActivationsOptions, where: string,
): Promise<TopActivationsResult> {
  checkModel(model, where);
  const x = floatTensor(toTensor(images, where, 'images'), [2, 3, 4, 5], where, 'images', '[N, ...] (e.g. [N, C, H, W])');
  const k = integerOption(options.k, 9, 1, where, 'k');
  const batchSize = integerOption(options.batchSize, 64, 1, where, 'batchSize');
  const { module, name } = resolveLayer(model, layer, where);
  const n = x.shape[0];
  const yielder = new EventLoopYielder();
  let kept: Entry[][] | null = null;
  let channels: number[] = [];
  let size: [number, number] = [1, 1];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const out = captureLayerOutput(model, module, start === 0 && end === n ? x : takeRows(x, start, end), where, name);
    size = mapSize(out, where, name);
    if (kept === null) {
      channels = checkChannels(options.channels, out.shape[1], where);
      kept = channels.map(() => []);
    }
    const data = out._f32(where);
    const [count, plane] = [out.shape[1], size[0] * size[1]];
    for (let b = 0; b < end - start; b++) {
      channels.forEach((c, i) => {
        const first = (b * count + c) * plane;
        let best = first;
        for (let j = first + 1; j < first + plane; j++) if (data[j] > data[best] || Number.isNaN(data[best])) best = j;
        if (Number.isNaN(data[best])) return;
        const at = best - first;
        offer(kept![i], k, { value: data[best], index: start + b, position: [Math.floor(at / size[1]), at % size[1]] });
      });
    }
    await yielder.maybeYield();
  }
  return {
    layer: name,
    mapSize: size,
    channels: channels.map((channel, i) => ({
      channel,
      indices: kept![i].map((e) => e.index),
      values: kept![i].map((e) => e.value),
      positions: kept![i].map((e) => e.position),
    })),
  };
}

/**
 * For each channel of `layer` (a module of `model` or its dotted name), the
 * k images of `images` [N, ...] (a tensor, or a data set's x) whose maximum
 * activation in that channel is largest, with the values and the position of
 * each maximum in the layer's map. The model runs in evaluation mode without
 * a graph, batchSize images at a time, letting the event loop run between
 * batches.
 */
export async function topActivations(
  model: AnyModule, layer: LayerRef, images: TensorOrArray, options: TopActivationsOptions = {},
): Promise<ChannelTopActivations[]> {
  rejectUnknownOptions(options, ['k', 'batchSize', 'channels'], 'topActivations');
  return (await rankImages(model, layer, images, options, 'topActivations')).channels;
}
