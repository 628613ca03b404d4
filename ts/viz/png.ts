/**
 * PNG files of viz images, through pngjs (pure JavaScript: no canvas, no
 * system libraries). Grey images are written as 8-bit greyscale PNGs, RGB
 * ones as 8-bit truecolour; files are written atomically (a reader never
 * sees half a picture, e.g. one refreshed after every epoch).
 */
import * as fs from 'fs';
import { PNG } from 'pngjs';
import { writeFileAtomic } from '../io/atomic-write';
import { checkImage, Image } from './image';

/** PNG colour types (the IHDR field). */
const GREY = 0;
const RGB = 2;

/** The image encoded as a PNG file. */
export function toPng(image: Image): Buffer {
  return encode(image, 'toPng');
}

function encode(image: Image, where: string): Buffer {
  const { width, height, channels, data } = checkImage(image, where);
  const colorType = channels === 1 ? GREY : RGB;
  // The packer reads only width, height and data; input and output colour types equal means no conversion.
  const source = { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) } as unknown as PNG;
  return PNG.sync.write(source, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
}

/**
 * A PNG file's pixels as an Image: greyscale files give one channel, all
 * others (truecolour, palette) three. Alpha is dropped and 16-bit samples
 * are scaled to 8 bits.
 */
export function fromPng(buffer: Uint8Array): Image {
  if (!(buffer instanceof Uint8Array)) throw new TypeError('fromPng: buffer must be a Buffer or Uint8Array holding a PNG file');
  const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    throw new RangeError(`fromPng: not a readable PNG file (${(e as Error).message})`);
  }
  const { width, height, color } = png;
  const channels = color ? 3 : 1;
  const data = new Uint8Array(width * height * channels);
  // pngjs always decodes to RGBA.
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < channels; c++) data[i * channels + c] = png.data[4 * i + c];
  }
  return { width, height, channels, data };
}

/** Writes the image as a PNG file at `file`, atomically. */
export async function savePng(image: Image, file: string): Promise<void> {
  if (typeof file !== 'string' || file === '') throw new TypeError('savePng: file must be a non-empty path string');
  await writeFileAtomic(file, encode(image, 'savePng'));
}

/** Reads a PNG file into an Image (see fromPng). */
export async function loadPng(file: string): Promise<Image> {
  if (typeof file !== 'string' || file === '') throw new TypeError('loadPng: file must be a non-empty path string');
  return fromPng(await fs.promises.readFile(file));
}
