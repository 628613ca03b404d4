/**
 * Training curves as an SVG document: one panel per metric family (loss,
 * accuracy, lr, …), each showing the training series and its `val_` twin
 * as polylines with one point per epoch (epochs whose value is NaN are left
 * out), with ticked axes and a legend. The panels, their layout and the
 * history checks are shared with compareCurves (several runs on one plot).
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
  /** The legend's word for the `val_` series (default 'validation'; e.g. 'test' when the validation data is the test set). */
  validationLabel?: string;
}

export const TRAINING_CURVES_OPTIONS = ['metrics', 'title', 'validationLabel'];

/** Per-epoch values by name, and the 1-based epoch numbers they belong to. */
export interface Series {
  epochs: number[];
  values: Record<string, readonly number[]>;
}

const PANEL = { width: 380, height: 260, left: 58, right: 16, top: 30, bottom: 42 };
const COLUMNS = 3;
const TITLE_HEIGHT = 30;
const COLOURS = { train: '#1f77b4', val: '#d62728' };
/** Width of one legend entry (sample line and word). */
export const LEGEND_ENTRY = 96;

/** A History or its record as per-epoch series; `name` is how errors call it. */
export function seriesOf(history: unknown, where: string, name = 'history'): Series {
  const record = history instanceof History ? history.history : history;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new TypeError(`${where}: ${name} must be what fit returns (a History) or its .history record of per-epoch arrays, got ${describe(history)}`);
  }
  const values: Record<string, readonly number[]> = {};
  let length = -1;
  for (const [key, v] of Object.entries(record)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new TypeError(`${where}: ${name}.${key} must be an array of numbers, one per epoch`);
    if (length >= 0 && v.length !== length) throw new RangeError(`${where}: ${name}.${key} has ${v.length} values but others have ${length}; every series needs one per epoch`);
    length = v.length;
    values[key] = v;
  }
  const given = history instanceof History ? history.epoch.map((e) => e + 1) : null;
  const epochs = given !== null && given.length === Math.max(length, 0) ? given : Array.from({ length: Math.max(length, 0) }, (_, i) => i + 1);
  return { epochs, values };
}

/** The families of these series names: loss first, then in the order they first appear. */
export function familiesOf(names: readonly string[]): string[] {
  const families: string[] = [];
  for (const n of names) {
    const f = n.startsWith('val_') ? n.slice(4) : n;
    if (!families.includes(f)) families.push(f);
  }
  return families.sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
}

/** The families to draw: `metrics` checked against those present (`all`), or all of them; `missing` words the error. */
export function chosenFamilies(
  all: readonly string[], metrics: unknown, where: string,
  missing = (m: string) => `the history has no '${m}' (it has ${all.join(', ') || 'nothing'})`,
): string[] {
  if (metrics === undefined) return all.slice();
  if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string')) {
    throw new TypeError(`${where}: metrics must be a non-empty array of names such as ['loss', 'accuracy']`);
  }
  for (const m of metrics) if (!all.includes(m)) throw new RangeError(`${where}: ${missing(m)}`);
  return metrics.slice();
}

/** Checks an optional string option. */
export function stringOption(v: unknown, where: string, name: string): string | undefined {
  if (v !== undefined && typeof v !== 'string') throw new TypeError(`${where}: ${name} must be a string, got ${describe(v)}`);
  return v;
}

/** One polyline of a panel: `id` goes into its data-series attribute. */
export interface CurveLine {
  id: string;
  colour: string;
  dashed: boolean;
  epochs: readonly number[];
  values: readonly number[];
}

/** One legend entry: a sample of the line's style and a word. */
export interface LegendEntry {
  label: string;
  colour: string;
  dashed: boolean;
}

/** The sample line and label of one legend entry whose line starts at (x, y). */
export function legendEntry(entry: LegendEntry, x: number, y: number): string[] {
  return [
    element('line', { x1: x, y1: y, x2: x + 22, y2: y, stroke: entry.colour, 'stroke-width': 2, 'stroke-dasharray': entry.dashed ? '6 3' : undefined }),
    text(x + 26, y + 4, entry.label),
  ];
}

/**
 * One panel titled `family`: axes, ticks, grid lines and `lines`, with its
 * top-left at (x0, y0); `legend` entries sit above the plot, right-aligned on
 * the title's line, so they never hide a curve.
 */
export function curvePanel(family: string, lines: readonly CurveLine[], legend: readonly LegendEntry[], x0: number, y0: number): string {
  const finite = lines.flatMap((l) => l.values.filter((v) => Number.isFinite(v)));
  const allEpochs = lines.flatMap((l) => l.epochs);
  const yTicks = niceTicks(Math.min(...finite), Math.max(...finite));
  const xTicks = niceTicks(allEpochs.length > 0 ? Math.min(...allEpochs) : 1, allEpochs.length > 0 ? Math.max(...allEpochs) : 1, 6, true);
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
  for (const line of lines) {
    const points = line.epochs
      .map((e, k) => [e, line.values[k]])
      .filter(([, v]) => Number.isFinite(v))
      .map(([e, v]) => `${num(sx(e))},${num(sy(v))}`);
    parts.push(element('polyline', {
      class: 'series', 'data-series': line.id, fill: 'none', stroke: line.colour, 'stroke-width': 2,
      'stroke-dasharray': line.dashed ? '6 3' : undefined, points: points.join(' '),
    }));
    // A lone point draws no line: mark it.
    if (points.length === 1) {
      const [cx, cy] = points[0].split(',').map(Number);
      parts.push(element('circle', { cx, cy, r: 3, fill: line.colour }));
    }
  }
  legend.forEach((entry, i) => parts.push(...legendEntry(entry, left + w - (legend.length - i) * LEGEND_ENTRY, y0 + 14)));
  return element('g', { class: 'panel', 'data-metric': family }, `\n${parts.join('\n')}\n`);
}

/** The width of a document of `panels` panels. */
export function documentWidth(panels: number): number {
  return Math.min(COLUMNS, panels) * PANEL.width;
}

/**
 * The SVG document: an optional title, then `header` (e.g. a legend,
 * `header.height` tall, drawn from its top), then one panel per family,
 * COLUMNS to a row, each drawn by `drawPanel` at its top-left corner.
 */
export function panelsDocument(
  families: readonly string[], title: string | undefined, drawPanel: (family: string, x0: number, y0: number) => string,
  header?: { height: number; draw: (top: number) => string[] },
): string {
  const rows = Math.ceil(families.length / COLUMNS);
  const width = documentWidth(families.length);
  const body: string[] = [];
  if (title !== undefined) body.push(text(width / 2, 21, title, { 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' }));
  const titleHeight = title === undefined ? 0 : TITLE_HEIGHT;
  if (header !== undefined) body.push(...header.draw(titleHeight));
  const top = titleHeight + (header?.height ?? 0);
  families.forEach((f, i) => body.push(drawPanel(f, (i % COLUMNS) * PANEL.width, top + Math.floor(i / COLUMNS) * PANEL.height)));
  return svgDocument(width, top + rows * PANEL.height, body);
}

/** The curves of a fit's history (or its .history record) as an SVG document string (see the module comment). */
export function trainingCurves(history: History | Record<string, readonly number[]>, options: TrainingCurvesOptions = {}): string {
  const where = 'trainingCurves';
  rejectUnknownOptions(options, TRAINING_CURVES_OPTIONS, where);
  const title = stringOption(options.title, where, 'title');
  const validationLabel = stringOption(options.validationLabel, where, 'validationLabel') ?? 'validation';
  const series = seriesOf(history, where);
  const families = chosenFamilies(familiesOf(Object.keys(series.values)), options.metrics, where);
  if (families.length === 0) throw new RangeError(`${where}: the history holds no series to draw`);
  return panelsDocument(families, title, (family, x0, y0) => {
    const names = [family, `val_${family}`].filter((n) => n in series.values);
    const lines = names.map((name) => {
      const val = name.startsWith('val_');
      return { id: name, colour: val ? COLOURS.val : COLOURS.train, dashed: val, epochs: series.epochs, values: series.values[name] };
    });
    const legend = lines.map((l) => ({ label: l.dashed ? validationLabel : 'training', colour: l.colour, dashed: l.dashed }));
    return curvePanel(family, lines, legend, x0, y0);
  });
}
