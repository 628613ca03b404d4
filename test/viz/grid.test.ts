/** Grids of images and of convolution filters, checked pixel by pixel after a PNG round trip. */
import { PNG } from 'pngjs';
import * as dd from '../../ts/index';

const { nn, viz } = dd;

/** The image through a PNG file and back, as pngjs decodes it: [width, height, RGBA pixel at (x, y)]. */
function decoded(image: dd.viz.Image) {
  const png = PNG.sync.read(viz.toPng(image));
  return {
    width: png.width,
    height: png.height,
    rgb: (x: number, y: number) => Array.from(png.data.subarray(4 * (y * png.width + x), 4 * (y * png.width + x) + 3)),
    grey: (x: number, y: number) => png.data[4 * (y * png.width + x)],
  };
}

/** torchvision's make_grid level of v in [lo, hi]. */
const level = (v: number, lo: number, hi: number) => Math.floor(Math.min(1, Math.max(0, (v - lo) / Math.max(hi - lo, 1e-5))) * 255 + 0.5);

test('makeGrid lays tiles out as make_grid: nrow per row, padding around and between, padValue elsewhere', () => {
  const [n, h, w] = [5, 2, 3];
  const values = Float32Array.from({ length: n * h * w }, (_, i) => (i % 7) / 6);
  const grid = decoded(viz.makeGrid(dd.tensor(values, [n, 1, h, w]), { nrow: 2, padding: 1, padValue: 0.5 }));
  // make_grid: (ymaps·(H + padding) + padding) × (xmaps·(W + padding) + padding).
  expect([grid.width, grid.height]).toEqual([2 * (w + 1) + 1, 3 * (h + 1) + 1]);
  const expected = (x: number, y: number): number => {
    const [col, row] = [Math.floor((x - 1) / (w + 1)), Math.floor((y - 1) / (h + 1))];
    const [dx, dy] = [(x - 1) % (w + 1), (y - 1) % (h + 1)];
    const k = row * 2 + col;
    if (x === 0 || y === 0 || dx === w || dy === h || k >= n) return 128;
    return level(values[(k * h + dy) * w + dx], 0, 1);
  };
  for (let y = 0; y < grid.height; y++) for (let x = 0; x < grid.width; x++) expect([x, y, grid.grey(x, y)]).toEqual([x, y, expected(x, y)]);
});

test("makeGrid normalizes each image on its own with 'each', all together with 'all'", () => {
  const images = dd.tensor([[[[0, 1]]], [[[10, 30]]]]); // [2, 1, 1, 2]
  const each = decoded(viz.makeGrid(images, { normalize: 'each', padding: 0 }));
  expect([0, 1, 2, 3].map((x) => each.grey(x, 0))).toEqual([0, 255, 0, 255]);
  const all = decoded(viz.makeGrid(images, { normalize: 'all', padding: 0 }));
  expect([0, 1, 2, 3].map((x) => all.grey(x, 0))).toEqual([0, level(1, 0, 30), level(10, 0, 30), 255]);
  const none = decoded(viz.makeGrid(images, { padding: 0 }));
  expect([0, 1, 2, 3].map((x) => none.grey(x, 0))).toEqual([0, 255, 255, 255]);
  const ranged = decoded(viz.makeGrid(images, { normalize: [0, 20], padding: 0 }));
  expect([0, 1, 2, 3].map((x) => ranged.grey(x, 0))).toEqual([0, level(1, 0, 20), 128, 255]);
});

test('makeGrid gives RGB for 3 channels and enlarges tiles (not padding) by scale', () => {
  // Two 1×1 RGB images: red and blue.
  const images = dd.tensor([[[[1]], [[0]], [[0]]], [[[0]], [[0]], [[1]]]]);
  const grid = decoded(viz.makeGrid(images, { padding: 2, padValue: 1, scale: 3 }));
  expect([grid.width, grid.height]).toEqual([2 * (3 + 2) + 2, 3 + 4]);
  expect(grid.rgb(2, 2)).toEqual([255, 0, 0]);
  expect(grid.rgb(4, 4)).toEqual([255, 0, 0]);
  expect(grid.rgb(5, 4)).toEqual([255, 255, 255]); // the padding between the tiles
  expect(grid.rgb(7, 2)).toEqual([0, 0, 255]);
  expect(grid.rgb(0, 0)).toEqual([255, 255, 255]);
});

test('makeGrid refuses other channel counts, suggesting how to pick channels, and bad options', () => {
  expect(() => viz.makeGrid(dd.zeros([2, 5, 4, 4]))).toThrow(/makeGrid: images of shape \[2,5,4,4\] have 5 channels.*narrow\(1, 0, 3\)/);
  expect(() => viz.makeGrid(dd.zeros([2, 4, 4]))).toThrow(/images must have shape \[N, C, H, W\]/);
  expect(() => viz.makeGrid('x' as never)).toThrow(TypeError);
  expect(() => viz.makeGrid(dd.zeros([1, 1, 2, 2]), { padValue: 2 })).toThrow(/padValue must be a number in \[0, 1\]/);
  expect(() => viz.makeGrid(dd.zeros([1, 1, 2, 2]), { nrow: 0 })).toThrow(/nrow must be an integer >= 1/);
  expect(() => viz.makeGrid(dd.zeros([1, 1, 2, 2]), { normalize: 'minmax' as 'all' })).toThrow(/normalize must be 'each', 'all', 'none' or a range/);
  expect(() => viz.makeGrid(dd.zeros([1, 1, 2, 2]), { pading: 1 } as never)).toThrow(/did you mean "padding"/);
});

test('filterGrid: a known 3×3 filter lands at its tile with its min-max grey levels', () => {
  dd.manualSeed(1);
  const conv = new nn.Conv2d(1, 4, 3);
  const known = Float32Array.from({ length: 9 }, (_, i) => i - 4); // -4 … 4
  conv.weight.data.set(known, 2 * 9);
  const grid = decoded(viz.filterGrid(conv, { padding: 1, padValue: 1, scale: 2 }));
  // Four filters: a 2×2 grid of 6×6 tiles with 1-pixel padding.
  expect([grid.width, grid.height]).toEqual([2 * 7 + 1, 2 * 7 + 1]);
  const [left, top] = [1, 1 + 7]; // filter 2: second row, first column
  for (let y = 0; y < 6; y++) {
    for (let x = 0; x < 6; x++) {
      const k = Math.floor(y / 2) * 3 + Math.floor(x / 2);
      expect(grid.grey(left + x, top + y)).toBe(level(known[k], -4, 4));
    }
  }
  expect(grid.grey(left - 1, top)).toBe(255);
  expect(grid.grey(left + 6, top + 3)).toBe(255);
  expect(grid.grey(left, top - 1)).toBe(255);
});

test('filterGrid shows 3-channel filters as RGB tiles, normalised per filter', () => {
  const weight = dd.zeros([2, 3, 2, 2]);
  const w = weight.data;
  w.fill(1, 0, 4); // filter 0: red plane 1, green 0, blue -1
  w.fill(-1, 8, 12);
  w.fill(0.5, 12, 24); // filter 1: constant, an empty range: black
  const grid = decoded(viz.filterGrid(weight, { padding: 0 }));
  expect([grid.width, grid.height]).toEqual([4, 2]);
  expect(grid.rgb(1, 1)).toEqual([255, 128, 0]);
  expect(grid.rgb(2, 0)).toEqual([0, 0, 0]);
  const all = decoded(viz.filterGrid(weight, { padding: 0, normalize: 'all' }));
  expect(all.rgb(2, 0)).toEqual([level(0.5, -1, 1), level(0.5, -1, 1), level(0.5, -1, 1)]);
  expect(() => viz.filterGrid(dd.zeros([2, 2, 3, 3]), { channels: 'rgb' })).toThrow(/channels 'rgb' needs 3 input channels/);
});

test("filterGrid with other channel counts: a row of tiles per filter ('each'), or channels averaged or first", () => {
  // Two filters of two 1×1 input channels.
  const weight = dd.tensor([[[[1]], [[3]]], [[[-2]], [[2]]]]);
  const each = decoded(viz.filterGrid(weight, { padding: 1 }));
  expect([each.width, each.height]).toEqual([5, 5]);
  // Filter 0's tiles share its range [1, 3]; filter 1's [-2, 2].
  expect([each.grey(1, 1), each.grey(3, 1), each.grey(1, 3), each.grey(3, 3)]).toEqual([0, 255, 0, 255]);
  const mean = decoded(viz.filterGrid(weight, { padding: 0, channels: 'mean', normalize: 'all', nrow: 2 }));
  expect([mean.grey(0, 0), mean.grey(1, 0)]).toEqual([255, 0]); // means 2 and 0
  const first = decoded(viz.filterGrid(weight, { padding: 0, channels: 'first', normalize: [-2, 1], nrow: 2 }));
  expect([first.grey(0, 0), first.grey(1, 0)]).toEqual([255, 0]);
  expect(() => viz.filterGrid(new nn.Linear(2, 2) as never)).toThrow(/filterGrid: conv must be an nn.Conv2d or its weight tensor/);
  expect(() => viz.filterGrid(weight, { channels: 'all' as 'mean' })).toThrow(/channels must be 'rgb', 'each', 'mean' or 'first'/);
});
