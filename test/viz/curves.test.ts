/** Training curves as SVG: well-formed XML, one panel per metric family, one polyline point per epoch per series. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as dd from '../../ts/index';
import { findAll, parseXml, XmlElement } from './support/xml';

const { nn, viz } = dd;

function polylines(svg: string): Record<string, Array<[number, number]>> {
  const out: Record<string, Array<[number, number]>> = {};
  for (const p of findAll(parseXml(svg), 'polyline')) {
    out[p.attributes['data-series']] = p.attributes.points.split(' ').filter((s) => s !== '').map((s) => s.split(',').map(Number) as [number, number]);
  }
  return out;
}

const panels = (svg: string) => findAll(parseXml(svg), 'g').filter((g) => g.attributes.class === 'panel').map((g) => g.attributes['data-metric']);
const texts = (el: XmlElement) => findAll(el, 'text').map((t) => t.text);

test('the XML checker itself rejects what is not well-formed', () => {
  expect(() => parseXml('<a><b></a></b>')).toThrow(/closed by/);
  expect(() => parseXml('<a x=1/>')).toThrow(/quoted/);
  expect(() => parseXml('<a>1 < 2</a>')).toThrow();
  expect(() => parseXml('<a>R&D</a>')).toThrow(/bare '&'/);
  expect(() => parseXml('<a/><b/>')).toThrow(/after the root/);
  expect(parseXml('<?xml version="1.0"?>\n<a k="&lt;&amp;">x &amp; y<b/></a>\n')).toEqual({
    name: 'a', attributes: { k: '<&' }, text: 'x & y', children: [{ name: 'b', attributes: {}, children: [], text: '' }],
  });
});

test('a panel per family, loss first; training and val_ series with one point per epoch, ordered by epoch', () => {
  const history = {
    accuracy: [0.5, 0.7, 0.8, 0.85], loss: [1.2, 0.8, 0.6, 0.5], val_loss: [1.3, 0.9, 0.7, 0.72], val_accuracy: [0.45, 0.66, 0.75, 0.74], lr: [1e-3, 1e-3, 5e-4, 5e-4],
  };
  const svg = viz.trainingCurves(history, { title: 'Fashion <MNIST> & co' });
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
  expect(panels(svg)).toEqual(['loss', 'accuracy', 'lr']);
  expect(texts(root)).toContain('Fashion <MNIST> & co');
  const lines = polylines(svg);
  expect(Object.keys(lines).sort()).toEqual(['accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss']);
  for (const pts of Object.values(lines)) {
    expect(pts).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(pts[i][0]).toBeGreaterThan(pts[i - 1][0]);
  }
  // y is linear in the value, larger values higher up the page (smaller y).
  const slope = (k: number) => (lines.loss[k][1] - lines.loss[0][1]) / (history.loss[k] - history.loss[0]);
  expect(slope(1)).toBeLessThan(0);
  for (const k of [2, 3]) expect(slope(k)).toBeCloseTo(slope(1), 1);
  // Ticks and legend.
  const lossPanel = findAll(root, 'g').find((g) => g.attributes['data-metric'] === 'loss')!;
  expect(texts(lossPanel)).toEqual(expect.arrayContaining(['epoch', 'training', 'validation', '1', '4']));
});

test('metrics picks families; NaN epochs are left out of their series; a History works as well as its record', () => {
  const h = new dd.History();
  h.record(0, { loss: 2, accuracy: 0.1 });
  h.record(1, { loss: 1.5, accuracy: 0.3, val_loss: 1.7 });
  h.record(2, { loss: 1, accuracy: 0.5, val_loss: 1.2 });
  const svg = viz.trainingCurves(h, { metrics: ['loss'] });
  expect(panels(svg)).toEqual(['loss']);
  const lines = polylines(svg);
  expect(lines.loss).toHaveLength(3);
  expect(lines.val_loss).toHaveLength(2);
  expect(lines.val_loss[0][0]).toBe(lines.loss[1][0]);
  expect(() => viz.trainingCurves(h, { metrics: ['auc'] })).toThrow(/trainingCurves: the history has no 'auc' \(it has loss, accuracy\)/);
  expect(() => viz.trainingCurves({ loss: [1, 2], val_loss: [1] })).toThrow(/history.val_loss has 1 values but others have 2/);
  expect(() => viz.trainingCurves(42 as never)).toThrow(TypeError);
  expect(() => viz.trainingCurves(h, { titel: 'x' } as never)).toThrow(/did you mean "title"/);
  // One epoch: a single point, marked.
  const one = viz.trainingCurves({ loss: [0.5] });
  expect(polylines(one).loss).toHaveLength(1);
  expect(findAll(parseXml(one), 'circle')).toHaveLength(1);
});

test('plotCallback rewrites the SVG after every epoch of fit, atomically', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-viz-curves-'));
  try {
    dd.manualSeed(21);
    const x = dd.randn([64, 4]);
    const y = dd.randint(0, 3, [64]);
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
    const file = path.join(dir, 'curves.svg');
    const seen: number[] = [];
    const watcher: dd.Callback = {
      onEpochEnd: () => {
        seen.push(polylines(fs.readFileSync(file, 'utf8')).loss.length);
      },
    };
    await dd.fit(model, { x, y }, {
      epochs: 3, batchSize: 16, optimizer: new dd.optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy',
      metrics: ['accuracy'], validationSplit: 0.25, verbose: 0, callbacks: [viz.plotCallback(file, { title: 'toy' }), watcher],
    });
    expect(seen).toEqual([1, 2, 3]);
    const lines = polylines(fs.readFileSync(file, 'utf8'));
    for (const k of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) expect([k, lines[k]?.length]).toEqual([k, 3]);
    expect(fs.readdirSync(dir)).toEqual(['curves.svg']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  expect(() => viz.plotCallback('')).toThrow(/plotCallback: file must be a non-empty path string/);
  expect(() => viz.plotCallback('a.svg', { metric: ['loss'] } as never)).toThrow(/did you mean "metrics"/);
});
