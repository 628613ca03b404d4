/**
 * Training curves as an SVG document: one panel per metric family (loss,
 * accuracy, lr, …), each showing the training series and its `val_` twin
 * as polylines with one point per epoch (epochs whose value is NaN are left
 * out), with ticked axes and a legend.
 */
import { History } from '../train/history';
import { rejectUnknownOptions } from '../options';
import { describe } from './checks';
import { element, num, svgDocument, text } from './svg';
import { niceTicks } from './ticks';

export interface TrainingCurvesOptions {
  /** The families to draw (names without `val_`: 'loss', 'accuracy', …), in this order (default all, loss first). */
  metrics?: readonly string[];
  /** A title above the panels. */
  title?: string;
}

export const TRAINING_CURVES_OPTIONS = ['metrics', 'title'];

/** Per-epoch values by name, and the 1-based epoch numbers they belong to. */
interface Series {
  epochs: number[];
  values: Record<string, readonly number[]>;
}

const PANEL = { width: 380, height: 260, left: 58, right: 16, top: 30, bottom: 42 };
const COLUMNS = 3;
const TITLE_HEIGHT = 30;
const COLOURS = { train: '#1f77b4', val: '#d62728' };
/** Width of one legend entry (sample line and word). */
const LEGEND_ENTRY = 96;

function seriesOf(history: unknown, where: string): Series {
  const record = history instanceof History ? history.history : history;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new TypeError(`${where}: history must be what fit returns (a History) or its .history record of per-epoch arrays, got ${describe(history)}`);
  }
  const values: Record<string, readonly number[]> = {};
  let length = -1;
  for (const [name, v] of Object.entries(record)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new TypeError(`${where}: history.${name} must be an array of numbers, one per epoch`);
    if (length >= 0 && v.length !== length) throw new RangeError(`${where}: history.${name} has ${v.length} values but others have ${length}; every series needs one per epoch`);
    length = v.length;
    values[name] = v;
  }
  const given = history instanceof History ? history.epoch.map((e) => e + 1) : null;
  const epochs = given !== null && given.length === Math.max(length, 0) ? given : Array.from({ length: Math.max(length, 0) }, (_, i) => i + 1);
  return { epochs, values };
}

/** The families in the history: loss first, then in the order they first appear. */
function familiesOf(names: readonly string[]): string[] {
  const families: string[] = [];
  for (const n of names) {
    const f = n.startsWith('val_') ? n.slice(4) : n;
    if (!families.includes(f)) families.push(f);
  }
  return families.sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
}

function chosenFamilies(series: Series, metrics: unknown, where: string): string[] {
  const all = familiesOf(Object.keys(series.values));
  if (metrics === undefined) return all;
  if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string')) {
    throw new TypeError(`${where}: metrics must be a non-empty array of names such as ['loss', 'accuracy']`);
  }
  for (const m of metrics) if (!all.includes(m)) throw new RangeError(`${where}: the history has no '${m}' (it has ${all.join(', ') || 'nothing'})`);
  return metrics.slice();
}

/** One panel: axes, ticks, grid lines, the series of `family` and a legend, with its top-left at (x0, y0). */
function panel(series: Series, family: string, x0: number, y0: number): string {
  const names = [family, `val_${family}`].filter((n) => n in series.values);
  const finite = names.flatMap((n) => series.values[n].filter((v) => Number.isFinite(v)));
  const yTicks = niceTicks(Math.min(...finite), Math.max(...finite));
  const xTicks = niceTicks(series.epochs[0] ?? 1, series.epochs[series.epochs.length - 1] ?? 1, 6, true);
  const [left, top] = [x0 + PANEL.left, y0 + PANEL.top];
  const [w, h] = [PANEL.width - PANEL.left - PANEL.right, PANEL.height - PANEL.top - PANEL.bottom];
  const sx = (e: number) => left + ((e - xTicks.lo) / (xTicks.hi - xTicks.lo)) * w;
  const sy = (v: number) => top + h - ((v - yTicks.lo) / (yTicks.hi - yTicks.lo)) * h;
  const parts: string[] = [text(left, y0 + 18, family, { 'font-weight': 'bold', 'font-size': 14 })];
  yTicks.values.forEach((v, i) => {
    parts.push(element('line', { x1: left, y1: sy(v), x2: left + w, y2: sy(v), stroke: '#e5e5e5' }));
    parts.push(text(left - 6, sy(v) + 4, yTicks.labels[i], { 'text-anchor': 'end' }));
  });
  xTicks.values.forEach((v, i) => {
    parts.push(element('line', { x1: sx(v), y1: top + h, x2: sx(v), y2: top + h + 4, stroke: '#333' }));
    parts.push(text(sx(v), top + h + 16, xTicks.labels[i], { 'text-anchor': 'middle' }));
  });
  parts.push(element('rect', { x: left, y: top, width: w, height: h, fill: 'none', stroke: '#333' }));
  parts.push(text(left + w / 2, top + h + 34, 'epoch', { 'text-anchor': 'middle' }));
  names.forEach((name, i) => {
    const colour = name.startsWith('val_') ? COLOURS.val : COLOURS.train;
    const points = series.epochs
      .map((e, k) => [e, series.values[name][k]])
      .filter(([, v]) => Number.isFinite(v))
      .map(([e, v]) => `${num(sx(e))},${num(sy(v))}`);
    parts.push(element('polyline', {
      class: 'series', 'data-series': name, fill: 'none', stroke: colour, 'stroke-width': 2,
      'stroke-dasharray': name.startsWith('val_') ? '6 3' : undefined, points: points.join(' '),
    }));
    // A lone point draws no line: mark it.
    if (points.length === 1) {
      const [cx, cy] = points[0].split(',').map(Number);
      parts.push(element('circle', { cx, cy, r: 3, fill: colour }));
    }
    // The legend sits above the plot, right-aligned on the title's line, so it never hides a curve.
    const lx = left + w - (names.length - i) * LEGEND_ENTRY;
    parts.push(element('line', { x1: lx, y1: y0 + 14, x2: lx + 22, y2: y0 + 14, stroke: colour, 'stroke-width': 2, 'stroke-dasharray': name.startsWith('val_') ? '6 3' : undefined }));
    parts.push(text(lx + 26, y0 + 18, name.startsWith('val_') ? 'validation' : 'training'));
  });
  return element('g', { class: 'panel', 'data-metric': family }, `\n${parts.join('\n')}\n`);
}

/** The curves of a fit's history (or its .history record) as an SVG document string (see the module comment). */
export function trainingCurves(history: History | Record<string, readonly number[]>, options: TrainingCurvesOptions = {}): string {
  const where = 'trainingCurves';
  rejectUnknownOptions(options, TRAINING_CURVES_OPTIONS, where);
  if (options.title !== undefined && typeof options.title !== 'string') throw new TypeError(`${where}: title must be a string, got ${describe(options.title)}`);
  const series = seriesOf(history, where);
  const families = chosenFamilies(series, options.metrics, where);
  if (families.length === 0) throw new RangeError(`${where}: the history holds no series to draw`);
  const titleHeight = options.title === undefined ? 0 : TITLE_HEIGHT;
  const columns = Math.min(COLUMNS, families.length);
  const rows = Math.ceil(families.length / columns);
  const body: string[] = [];
  if (options.title !== undefined) body.push(text((columns * PANEL.width) / 2, 21, options.title, { 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' }));
  families.forEach((f, i) => body.push(panel(series, f, (i % columns) * PANEL.width, titleHeight + Math.floor(i / columns) * PANEL.height)));
  return svgDocument(columns * PANEL.width, titleHeight + rows * PANEL.height, body);
}
