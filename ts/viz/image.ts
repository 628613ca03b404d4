/**
 * The picture every viz function hands back: 8-bit pixels, grey (one
 * channel) or RGB (three), rows top to bottom, channels interleaved within a
 * pixel (as PNG stores them), so that writing one is a copy, not a reshuffle.
 */

export interface Image {
  readonly width: number;
  readonly height: number;
  /** 1: grey; 3: red, green, blue. */
  readonly channels: 1 | 3;
  /** height × width × channels bytes, row-major, channels interleaved. */
  readonly data: Uint8Array;
}

/** A new image of the given size, every byte set to `fill`. */
export function createImage(width: number, height: number, channels: 1 | 3, fill = 0): Image {
  return { width, height, channels, data: new Uint8Array(width * height * channels).fill(fill) };
}

/** Throws a TypeError/RangeError naming `name` unless `image` is a well-formed Image. */
export function checkImage(image: unknown, where: string, name = 'image'): Image {
  if (image === null || typeof image !== 'object') throw new TypeError(`${where}: ${name} must be an Image { width, height, channels, data }, got ${image === null ? 'null' : typeof image}`);
  const { width, height, channels, data } = image as Image;
  for (const [key, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RangeError(`${where}: ${name}.${key} must be a positive integer, got ${String(v)}`);
  }
  if (channels !== 1 && channels !== 3) throw new RangeError(`${where}: ${name}.channels must be 1 (grey) or 3 (RGB), got ${String(channels)}`);
  if (!(data instanceof Uint8Array)) throw new TypeError(`${where}: ${name}.data must be a Uint8Array`);
  if (data.length !== width * height * channels) {
    throw new RangeError(`${where}: ${name}.data holds ${data.length} bytes; ${width}×${height}×${channels} needs ${width * height * channels}`);
  }
  return image as Image;
}

/** The image as RGB (a grey image's level copied into the three channels). */
export function toRgb(image: Image): Image {
  if (image.channels === 3) return image;
  const out = createImage(image.width, image.height, 3);
  for (let i = 0; i < image.data.length; i++) out.data.fill(image.data[i], 3 * i, 3 * i + 3);
  return out;
}

/** Each pixel repeated `scale` times across and down (nearest-neighbour upscaling). */
export function upscale(image: Image, scale: number): Image {
  if (scale === 1) return image;
  const { width, height, channels } = image;
  const out = createImage(width * scale, height * scale, channels);
  const rowBytes = width * scale * channels;
  for (let y = 0; y < height; y++) {
    const first = y * scale * rowBytes;
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * channels;
      for (let r = 0; r < scale; r++) {
        const dst = first + (x * scale + r) * channels;
        for (let c = 0; c < channels; c++) out.data[dst + c] = image.data[src + c];
      }
    }
    for (let r = 1; r < scale; r++) out.data.copyWithin(first + r * rowBytes, first, first + rowBytes);
  }
  return out;
}

/** Copies `tile` into `target` with its top-left corner at (left, top); both have the same channel count. */
export function paste(target: Image, tile: Image, left: number, top: number): void {
  const c = target.channels;
  for (let y = 0; y < tile.height; y++) {
    const src = y * tile.width * c;
    target.data.set(tile.data.subarray(src, src + tile.width * c), ((top + y) * target.width + left) * c);
  }
}

/** Images side by side, `gap` pixels of level `fill` between them; grey ones become RGB if any is RGB. */
export function sideBySide(images: readonly Image[], gap: number, fill: number): Image {
  const channels = images.some((im) => im.channels === 3) ? 3 : 1;
  const parts = images.map((im) => (channels === 3 ? toRgb(im) : im));
  const width = parts.reduce((w, im) => w + im.width, 0) + gap * (parts.length - 1);
  const height = Math.max(...parts.map((im) => im.height));
  const out = createImage(width, height, channels, fill);
  let left = 0;
  for (const im of parts) {
    paste(out, im, left, 0);
    left += im.width + gap;
  }
  return out;
}
