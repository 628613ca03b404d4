/** PNG writing and reading, and tensors as single pictures. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import * as dd from '../../ts/index';

const { viz } = dd;

/** The PNG decoded by pngjs itself (RGBA), with its header's colour type. */
function decode(buffer: Buffer): { width: number; height: number; colorType: number; rgba: Buffer } {
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, colorType: png.colorType, rgba: png.data };
}

test('a grey image is written as an 8-bit greyscale PNG with its exact levels', () => {
  const image: dd.viz.Image = { width: 3, height: 2, channels: 1, data: Uint8Array.from([0, 1, 2, 127, 254, 255]) };
  const png = decode(viz.toPng(image));
  expect([png.width, png.height, png.colorType]).toEqual([3, 2, 0]);
  for (let i = 0; i < 6; i++) expect(Array.from(png.rgba.subarray(4 * i, 4 * i + 4))).toEqual([image.data[i], image.data[i], image.data[i], 255]);
  expect(viz.fromPng(viz.toPng(image))).toEqual(image);
});

test('an RGB image keeps its three channels through toPng and fromPng', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => (i * 37) % 256);
  const image: dd.viz.Image = { width: 2, height: 3, channels: 3, data };
  const png = decode(viz.toPng(image));
  expect([png.width, png.height, png.colorType]).toEqual([2, 3, 2]);
  expect(Array.from(png.rgba.subarray(4, 8))).toEqual([data[3], data[4], data[5], 255]);
  expect(viz.fromPng(viz.toPng(image))).toEqual(image);
});

test('savePng writes the file atomically (no temporary left) and loadPng reads it back', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-viz-png-'));
  try {
    const image: dd.viz.Image = { width: 4, height: 1, channels: 1, data: Uint8Array.from([10, 20, 30, 40]) };
    const file = path.join(dir, 'a.png');
    await viz.savePng(image, file);
    expect(fs.readdirSync(dir)).toEqual(['a.png']);
    expect(decode(fs.readFileSync(file)).rgba[12]).toBe(40);
    expect(await viz.loadPng(file)).toEqual(image);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad images and files are refused with errors naming the argument', async () => {
  expect(() => viz.toPng({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) })).toThrow(/toPng: image.data holds 3 bytes; 2×2×1 needs 4/);
  expect(() => viz.toPng({ width: 2, height: 2, channels: 4 as 3, data: new Uint8Array(16) })).toThrow(/image.channels must be 1 \(grey\) or 3 \(RGB\)/);
  expect(() => viz.toPng({ width: 0, height: 2, channels: 1, data: new Uint8Array(0) })).toThrow(RangeError);
  expect(() => viz.toPng({ width: 1, height: 1, channels: 1, data: [0] as unknown as Uint8Array })).toThrow(TypeError);
  expect(() => viz.fromPng(Buffer.from('not a png'))).toThrow(/fromPng: not a readable PNG file/);
  await expect(viz.savePng({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) }, '')).rejects.toThrow(/savePng: file/);
});

test('imageFromTensor: min-max by default, [0, 1] as is with none, a given range, RGB from [3, H, W]', () => {
  const t = dd.tensor([[-1, 0], [1, 3]]);
  expect(Array.from(viz.imageFromTensor(t).data)).toEqual([0, 64, 128, 255]);
  expect(Array.from(viz.imageFromTensor(dd.tensor([[0, 0.5], [1, 2]]), { normalize: 'none' }).data)).toEqual([0, 128, 255, 255]);
  expect(Array.from(viz.imageFromTensor(t, { normalize: [0, 2] }).data)).toEqual([0, 0, 128, 255]);
  // A constant picture has an empty range: black, as torchvision.
  expect(Array.from(viz.imageFromTensor(dd.full([2, 2], 5)).data)).toEqual([0, 0, 0, 0]);

  const rgb = dd.tensor([[[0, 1]], [[1, 0]], [[0.5, 0.5]]]); // [3, 1, 2]
  const image = viz.imageFromTensor(rgb, { normalize: 'none' });
  expect([image.width, image.height, image.channels]).toEqual([2, 1, 3]);
  expect(Array.from(image.data)).toEqual([0, 255, 128, 255, 0, 128]);
  expect(viz.imageFromTensor(rgb.reshape([1, 3, 1, 2]), { normalize: 'none' })).toEqual(image);
});

test('imageFromTensor scales by whole pixels and refuses what is not a picture', () => {
  const big = viz.imageFromTensor(dd.tensor([[0, 1]]), { scale: 3 });
  expect([big.width, big.height]).toEqual([6, 3]);
  expect(Array.from(big.data.subarray(0, 6))).toEqual([0, 0, 0, 255, 255, 255]);
  expect(Array.from(big.data.subarray(12, 18))).toEqual([0, 0, 0, 255, 255, 255]);
  expect(() => viz.imageFromTensor(dd.zeros([2, 4, 4]))).toThrow(/imageFromTensor: t of shape \[2,4,4\] is not a grey or RGB picture.*narrow/);
  expect(() => viz.imageFromTensor(dd.zeros([4]))).toThrow(/t must have shape \[H, W\]/);
  expect(() => viz.imageFromTensor(dd.zeros([2, 2]), { normalize: 'each' as 'none' })).toThrow(/normalize must be 'minmax', 'none' or a range/);
  expect(() => viz.imageFromTensor(dd.zeros([2, 2]), { normalize: [1, 1] })).toThrow(/finite lo < hi/);
  expect(() => viz.imageFromTensor(dd.zeros([2, 2]), { scal: 2 } as never)).toThrow(/unknown option "scal" \(did you mean "scale"\?/);
  expect(() => viz.imageFromTensor(dd.zeros([2, 2]), { scale: 1.5 })).toThrow(/scale must be an integer >= 1/);
});
