/**
 * Many images tiled into one, as torchvision.utils.make_grid: `nrow` tiles
 * per row, `padding` pixels of `padValue` around and between them. Unlike
 * make_grid a single image is padded too (make_grid returns it bare), and
 * `scale` enlarges each tile, not the padding, so small tiles keep thin
 * separators.
 */
import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';
import { rejectUnknownOptions } from '../options';
import { floatTensor, integerOption, levelOption } from './checks';
import { createImage, Image, paste, upscale } from './image';
import { checkNormalize, GridNormalize, planesToImages } from './normalize';

/** Where and how big the tiles go. */
export interface GridLayoutOptions {
  /** Tiles per row (default 8, as make_grid). */
  nrow?: number;
  /** Pixels around and between tiles (default 1). */
  padding?: number;
  /** Level of the padding, 0 (black, the default) to 1 (white). */
  padValue?: number;
  /** Integer nearest-neighbour upscaling of every tile (default 1). */
  scale?: number;
}

export interface MakeGridOptions extends GridLayoutOptions {
  /**
   * How values become levels: 'none' (default, as make_grid): values in
   * [0, 1] as they are, clamped; 'each': every image min-max on its own;
   * 'all': all images on their common min and max; [lo, hi]: lo black, hi white.
   */
  normalize?: GridNormalize;
}

export const GRID_LAYOUT_OPTIONS = ['nrow', 'padding', 'padValue', 'scale'] as const;

/** The layout options checked, with their defaults (nrow's default is the caller's). */
export interface GridLayout {
  nrow: number;
  padding: number;
  /** 0…255. */
  padLevel: number;
  scale: number;
}

export function gridLayout(options: GridLayoutOptions, defaultNrow: number, where: string): GridLayout {
  return {
    nrow: integerOption(options.nrow, defaultNrow, 1, where, 'nrow'),
    padding: integerOption(options.padding, 1, 0, where, 'padding'),
    padLevel: levelOption(options.padValue, 0, where, 'padValue'),
    scale: integerOption(options.scale, 1, 1, where, 'scale'),
  };
}

/**
 * Tiles (all of one size and channel count) in rows of layout.nrow; a
 * missing tile at the end of the last row is left as padding.
 */
export function tileImages(tiles: readonly Image[], layout: GridLayout): Image {
  const { padding, padLevel, scale } = layout;
  const scaled = tiles.map((t) => upscale(t, scale));
  const { width, height, channels } = scaled[0];
  const columns = Math.min(layout.nrow, tiles.length);
  const rows = Math.ceil(tiles.length / columns);
  const grid = createImage(columns * (width + padding) + padding, rows * (height + padding) + padding, channels, padLevel);
  scaled.forEach((tile, k) => {
    paste(grid, tile, (k % columns) * (width + padding) + padding, Math.floor(k / columns) * (height + padding) + padding);
  });
  return grid;
}

/** Images [N, C, H, W] (C = 1: grey, C = 3: RGB) as one grid image. */
export function makeGrid(images: Tensor, options: MakeGridOptions = {}): Image {
  const where = 'makeGrid';
  rejectUnknownOptions(options, [...GRID_LAYOUT_OPTIONS, 'normalize'], where);
  floatTensor(images, [4], where, 'images', '[N, C, H, W]');
  const [n, c, h, w] = images.shape;
  if (c !== 1 && c !== 3) {
    throw new RangeError(
      `${where}: images of shape ${formatShape(images.shape)} have ${c} channels; a grid shows 1 (grey) or 3 (RGB): pick them first, ` +
        `e.g. images.narrow(1, 0, ${c > 3 ? 3 : 1}), or show each channel as its own tile with images.reshape([${n * c}, 1, ${h}, ${w}])`,
    );
  }
  const layout = gridLayout(options, 8, where);
  const normalize = checkNormalize(options.normalize ?? 'none', ['each', 'all', 'none'], where);
  return tileImages(planesToImages(images._f32(where), n, c, h, w, normalize, layout.padLevel), layout);
}
