/** compareCurves: several runs overlaid, a colour per run, training solid and val_ dashed, one legend for the document. */
import * as dd from '../../ts/index';
import { findAll, parseXml, XmlElement } from './support/xml';

const { viz } = dd;

interface Line {
  colour: string;
  dashed: boolean;
  points: Array<[number, number]>;
}

function lines(svg: string): Record<string, Line> {
  const out: Record<string, Line> = {};
  for (const p of findAll(parseXml(svg), 'polyline')) {
    out[p.attributes['data-series']] = {
      colour: p.attributes.stroke,
      dashed: p.attributes['stroke-dasharray'] !== undefined,
      points: p.attributes.points.split(' ').filter((s) => s !== '').map((s) => s.split(',').map(Number) as [number, number]),
    };
  }
  return out;
}

const group = (svg: string, cls: string): XmlElement[] => findAll(parseXml(svg), 'g').filter((g) => g.attributes.class === cls);
const texts = (el: XmlElement) => findAll(el, 'text').map((t) => t.text);

test('every run gets its own colour in every panel, training solid and val_ dashed, with one legend naming runs and styles', () => {
  const plain = { loss: [2.3, 2.3, 2.3], val_loss: [2.31, 2.3, 2.3], accuracy: [0.1, 0.1, 0.11], val_accuracy: [0.1, 0.1, 0.1] };
  const residual = { loss: [0.9, 0.6, 0.5], val_loss: [0.8, 0.62, 0.55], accuracy: [0.7, 0.8, 0.83], val_accuracy: [0.72, 0.79, 0.82] };
  const svg = viz.compareCurves({ plain, residual }, { title: 'depth 30', validationLabel: 'test' });
  expect(group(svg, 'panel').map((g) => g.attributes['data-metric'])).toEqual(['loss', 'accuracy']);
  const l = lines(svg);
  expect(Object.keys(l).sort()).toEqual([
    'plain/accuracy', 'plain/loss', 'plain/val_accuracy', 'plain/val_loss',
    'residual/accuracy', 'residual/loss', 'residual/val_accuracy', 'residual/val_loss',
  ]);
  for (const metric of ['loss', 'val_loss', 'accuracy', 'val_accuracy']) {
    expect(l[`plain/${metric}`].colour).not.toBe(l[`residual/${metric}`].colour);
    expect(l[`plain/${metric}`].dashed).toBe(metric.startsWith('val_'));
    expect(l[`plain/${metric}`].points).toHaveLength(3);
  }
  expect(l['plain/loss'].colour).toBe(l['plain/val_accuracy'].colour);
  // One scale per panel: the run with the larger loss is drawn higher up (smaller y) at every epoch.
  for (let k = 0; k < 3; k++) expect(l['plain/loss'].points[k][1]).toBeLessThan(l['residual/loss'].points[k][1]);
  const [legend] = group(svg, 'legend');
  expect(texts(legend)).toEqual(['plain', 'residual', 'training', 'test']);
  expect(texts(parseXml(svg))).toContain('depth 30');
  // The legend sits above the panels: no panel starts higher than the legend's last line.
  const legendBottom = Math.max(...findAll(legend, 'text').map((t) => Number(t.attributes.y)));
  const panelTop = Math.min(...group(svg, 'panel').flatMap((g) => findAll(g, 'rect')).map((r) => Number(r.attributes.y)));
  expect(panelTop).toBeGreaterThan(legendBottom);
});

test('runs of different lengths share the epoch axis; a run without a family is left out of its panel; no style key for one style', () => {
  const h = new dd.History();
  h.record(0, { error: 12 });
  h.record(1, { error: 10 });
  const svg = viz.compareCurves({ short: h, long: { error: [14, 11, 9, 8], lr: [1, 1, 0.5, 0.5] } });
  const l = lines(svg);
  expect(Object.keys(l).sort()).toEqual(['long/error', 'long/lr', 'short/error']);
  // Same x for the same epoch across runs.
  expect(l['short/error'].points.map((p) => p[0])).toEqual(l['long/error'].points.slice(0, 2).map((p) => p[0]));
  expect(texts(group(svg, 'legend')[0])).toEqual(['short', 'long']);
  const one = viz.compareCurves({ short: h, long: { error: [14, 11, 9, 8], lr: [1, 1, 0.5, 0.5] } }, { metrics: ['lr'] });
  expect(Object.keys(lines(one))).toEqual(['long/lr']);
});

test('many runs wrap the legend onto more rows; colours cycle after ten', () => {
  const runs: Record<string, Record<string, number[]>> = {};
  for (let i = 0; i < 12; i++) runs[`a rather long run name ${i}`] = { loss: [1 / (i + 1), 1 / (i + 2)] };
  const svg = viz.compareCurves(runs);
  const ys = new Set(findAll(group(svg, 'legend')[0], 'text').map((t) => t.attributes.y));
  expect(ys.size).toBeGreaterThan(1);
  const l = lines(svg);
  expect(l['a rather long run name 10/loss'].colour).toBe(l['a rather long run name 0/loss'].colour);
  expect(l['a rather long run name 1/loss'].colour).not.toBe(l['a rather long run name 0/loss'].colour);
  expect(Number(parseXml(svg).attributes.width)).toBe(380);
});

test('bad runs and options are errors naming the argument', () => {
  const h = { loss: [1, 0.5] };
  expect(() => viz.compareCurves(new dd.History() as never)).toThrow(/compareCurves: runs must be a record .* a single History \(use trainingCurves\)/);
  expect(() => viz.compareCurves([h] as never)).toThrow(/runs must be a record/);
  expect(() => viz.compareCurves({})).toThrow(/compareCurves: runs is empty/);
  expect(() => viz.compareCurves({ a: h, b: { loss: [1, 'x'] } } as never)).toThrow(/compareCurves: runs\["b"\]\.loss must be an array of numbers/);
  expect(() => viz.compareCurves({ a: h }, { metrics: ['auc'] })).toThrow(/compareCurves: no run has 'auc' \(they have loss\)/);
  expect(() => viz.compareCurves({ a: h }, { validationLabel: 3 } as never)).toThrow(/compareCurves: validationLabel must be a string/);
  expect(() => viz.compareCurves({ a: h }, { colours: [] } as never)).toThrow(/compareCurves/);
});

test('trainingCurves takes the word for the val_ series too', () => {
  const svg = viz.trainingCurves({ loss: [1, 0.5], val_loss: [1.1, 0.7] }, { validationLabel: 'test' });
  expect(texts(group(svg, 'panel')[0])).toEqual(expect.arrayContaining(['training', 'test']));
  expect(texts(group(svg, 'panel')[0])).not.toContain('validation');
});
