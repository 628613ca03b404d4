/** Confusion matrices: counts on hand-made cases, from predictions or a model, normalised, drawn as SVG; the plots a run writes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import * as dd from '../../ts/index';
import { findAll, parseXml } from './support/xml';

const { nn, viz } = dd;

const labels = [0, 0, 1, 1, 1, 2, 2, 2, 2];
const predicted = [0, 1, 1, 1, 2, 2, 2, 0, 2];
const counts = [
  [1, 1, 0],
  [0, 2, 1],
  [1, 0, 3],
];

test('counts[true][predicted] from class indices or scores, with accuracy and total', async () => {
  const m = await viz.confusionMatrix(predicted, labels);
  expect(m.counts).toEqual(counts);
  expect(m.values).toEqual(counts);
  expect(m.total).toBe(9);
  expect(m.accuracy).toBeCloseTo(6 / 9, 12);
  expect(m.classNames).toEqual(['0', '1', '2']);
  // Scores: the argmax is the prediction. Labels as an int32 tensor, or as the y of { x, y }.
  const scores = dd.zeros([9, 3]);
  predicted.forEach((p, i) => (scores.data[i * 3 + p] = 1 + i));
  const y = dd.tensor(labels, { dtype: 'int32' });
  expect((await viz.confusionMatrix(scores, y)).counts).toEqual(counts);
  expect((await viz.confusionMatrix(scores, { x: dd.zeros([9, 1]), y })).counts).toEqual(counts);
  // More classes than seen, by name.
  const named = await viz.confusionMatrix(predicted, labels, { classNames: ['a', 'b', 'c', 'd'] });
  expect(named.counts[3]).toEqual([0, 0, 0, 0]);
  expect(named.classNames).toEqual(['a', 'b', 'c', 'd']);
});

test("normalize: 'true' rows, 'pred' columns, 'all' the total (empty rows stay zero)", async () => {
  const rows = await viz.confusionMatrix(predicted, labels, { normalize: 'true', numClasses: 4 });
  expect(rows.counts[1]).toEqual([0, 2, 1, 0]);
  expect(rows.values[1].map((v) => +v.toFixed(6))).toEqual([0, 0.666667, 0.333333, 0]);
  expect(rows.values[3]).toEqual([0, 0, 0, 0]);
  const columns = await viz.confusionMatrix(predicted, labels, { normalize: 'pred' });
  expect(columns.values.map((r) => r[2])).toEqual([0, 0.25, 0.75]);
  const all = await viz.confusionMatrix(predicted, labels, { normalize: 'all' });
  expect(all.values[2][2]).toBeCloseTo(3 / 9, 12);
});

test('from a model: the argmax of its scores over data, batch by batch, in evaluation mode', async () => {
  // A linear "model" whose output is its input's first three features: the argmax is known.
  const linear = new nn.Linear(4, 3, { bias: false });
  linear.weight.data.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  const model = new nn.Sequential(linear, new nn.Dropout(0.9));
  const x = dd.zeros([9, 4]);
  predicted.forEach((p, i) => (x.data[i * 4 + p] = 1));
  const data = new dd.data.Dataset({ data: x.data, shape: [9, 4] }, { data: Int32Array.from(labels), shape: [9] });
  const m = await viz.confusionMatrix(model, data, { batchSize: 4, classNames: ['x', 'y', 'z'] });
  expect(m.counts).toEqual(counts);
  expect(m.classNames).toEqual(['x', 'y', 'z']);
});

test('bad predictions, labels and options are refused with errors naming them', async () => {
  await expect(viz.confusionMatrix([0, 1], [0])).rejects.toThrow(/confusionMatrix: 2 predictions but 1 labels/);
  await expect(viz.confusionMatrix([0, 1.5], [0, 1])).rejects.toThrow(/predictions\[1\] is 1.5, not a class index/);
  await expect(viz.confusionMatrix([0, 3], [0, 1], { numClasses: 3 })).rejects.toThrow(/sample 1 has class 3, outside the 3 classes/);
  await expect(viz.confusionMatrix([0, 1], [0, 1], { classNames: ['a'], numClasses: 2 })).rejects.toThrow(/1 classNames for 2 classes/);
  await expect(viz.confusionMatrix([0, 1], [0, 1], { normalize: 'rows' as 'true' })).rejects.toThrow(/normalize must be 'none', 'true', 'pred' or 'all'/);
  await expect(viz.confusionMatrix([0, 1], [0, 1], { normalise: 'true' } as never)).rejects.toThrow(/did you mean "normalize"/);
  await expect(viz.confusionMatrix(new nn.Linear(2, 2), 5 as never)).rejects.toThrow(/confusionMatrix: data must be/);
});

test('confusionMatrixSvg: well-formed, one heat cell per pair holding its count, darker for more', async () => {
  const m = await viz.confusionMatrix(predicted, labels, { classNames: ['T-shirt/top', 'Trouser', 'A & B'] });
  const svg = viz.confusionMatrixSvg(m, { title: 'test <set>' });
  const root = parseXml(svg);
  const cells = findAll(root, 'rect').filter((r) => r.attributes.class === 'cell');
  expect(cells).toHaveLength(9);
  const fill = (t: number, p: number) => cells.find((c) => c.attributes['data-true'] === String(t) && c.attributes['data-predicted'] === String(p))!.attributes.fill;
  const darkness = (rgb: string) => -rgb.match(/\d+/g)!.map(Number).reduce((a, b) => a + b, 0);
  expect(darkness(fill(2, 2))).toBeGreaterThan(darkness(fill(1, 1)));
  expect(darkness(fill(1, 1))).toBeGreaterThan(darkness(fill(0, 0)));
  expect(darkness(fill(0, 0))).toBeGreaterThan(darkness(fill(0, 2)));
  const texts = findAll(root, 'text').map((t) => t.text);
  expect(texts.filter((t) => /^\d+$/.test(t)).map(Number)).toEqual(counts.flat());
  expect(texts).toEqual(expect.arrayContaining(['A & B', 'test <set>', 'predicted', 'true']));
  // Normalised values show two decimals; a plain square array works too.
  const rows = viz.confusionMatrixSvg([[0.5, 0.5], [0, 1]]);
  expect(findAll(parseXml(rows), 'text').map((t) => t.text)).toEqual(expect.arrayContaining(['0.50', '0.00', '1.00']));
  expect(() => viz.confusionMatrixSvg([[1, 2]])).toThrow(/square array of finite numbers/);
  expect(() => viz.confusionMatrixSvg(m, { classNames: ['a'] })).toThrow(/classNames must be 3 strings/);
});

test('writeTrainingPlots writes the curves, the confusion matrix and the first filters into a folder', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dd-viz-plots-')), 'plots');
  try {
    dd.manualSeed(31);
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 3));
    const x = dd.randn([12, 1, 6, 6]);
    const y = dd.randint(0, 3, [12]);
    const history = await dd.fit(model, { x, y }, {
      epochs: 2, batchSize: 4, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.05 }), loss: 'crossEntropy', verbose: 0,
    });
    const files = await viz.writeTrainingPlots(dir, { model, history, testData: { x, y }, classNames: ['a', 'b', 'c'] });
    expect(files.map((f) => path.basename(f))).toEqual(['training-curves.svg', 'confusion-matrix.svg', 'filters.png']);
    expect(findAll(parseXml(fs.readFileSync(files[0], 'utf8')), 'polyline')[0].attributes.points.split(' ')).toHaveLength(2);
    const cells = findAll(parseXml(fs.readFileSync(files[1], 'utf8')), 'rect').filter((r) => r.attributes.class === 'cell');
    expect(cells).toHaveLength(9);
    const png = PNG.sync.read(fs.readFileSync(files[2]));
    // 4 filters of 3×3 at scale 10, a 2×2 grid with 2-pixel padding.
    expect([png.width, png.height]).toEqual([2 * 32 + 2, 2 * 32 + 2]);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
  await expect(viz.writeTrainingPlots('', { model: new nn.ReLU() })).rejects.toThrow(/writeTrainingPlots: dir/);
  await expect(viz.writeTrainingPlots('x', { modle: 1 } as never)).rejects.toThrow(/did you mean "model"/);
});
