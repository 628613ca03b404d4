/**
 * Several trainings on one plot, as TensorBoard overlays runs: one panel per
 * metric family, each run in its own colour, its training series solid and
 * its `val_` series dashed, and one legend above the panels naming the runs
 * (and the two line styles, where both are drawn).
 */
import { History } from '../train/history';
import { rejectUnknownOptions } from '../options';
import { describe } from './checks';
import { element } from './svg';
import {
  chosenFamilies, curvePanel, CurveLine, documentWidth, familiesOf, LegendEntry, legendEntry, panelsDocument, seriesOf, stringOption,
  TRAINING_CURVES_OPTIONS, TrainingCurvesOptions,
} from './training-curves';

export type CompareCurvesOptions = TrainingCurvesOptions;

/** Matplotlib's ten-colour cycle; runs beyond ten reuse it. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const STYLE_COLOUR = '#555';
const LEGEND_ROW = 20;
const LEGEND_MARGIN = 16;
/** Width of a legend entry: the sample line, the label (about 6.5 px a character at 12 px) and a gap. */
const entryWidth = (e: LegendEntry) => 26 + Math.ceil(6.5 * e.label.length) + 18;

/** Legend entries laid out left to right, wrapping at `width`: the rows of [entry, x] pairs. */
function legendRows(entries: readonly LegendEntry[], width: number): Array<Array<[LegendEntry, number]>> {
  const rows: Array<Array<[LegendEntry, number]>> = [[]];
  let x = LEGEND_MARGIN;
  for (const e of entries) {
    if (x + entryWidth(e) > width - LEGEND_MARGIN && rows[rows.length - 1].length > 0) {
      rows.push([]);
      x = LEGEND_MARGIN;
    }
    rows[rows.length - 1].push([e, x]);
    x += entryWidth(e);
  }
  return rows;
}

/**
 * The curves of several runs, `{ name: history }` (each a History that fit
 * returned or its .history record), overlaid as an SVG document string (see
 * the module comment). Runs may have different lengths and metrics: a panel
 * shows every run that logged its family.
 */
export function compareCurves(runs: Record<string, History | Record<string, readonly number[]>>, options: CompareCurvesOptions = {}): string {
  const where = 'compareCurves';
  rejectUnknownOptions(options, TRAINING_CURVES_OPTIONS, where);
  if (runs === null || typeof runs !== 'object' || Array.isArray(runs) || runs instanceof History) {
    throw new TypeError(`${where}: runs must be a record { name: history, … } of fit histories, got ${runs instanceof History ? 'a single History (use trainingCurves)' : describe(runs)}`);
  }
  const title = stringOption(options.title, where, 'title');
  const validationLabel = stringOption(options.validationLabel, where, 'validationLabel') ?? 'validation';
  const all = Object.entries(runs).map(([name, h], i) => ({ name, colour: PALETTE[i % PALETTE.length], series: seriesOf(h, where, `runs[${JSON.stringify(name)}]`) }));
  if (all.length === 0) throw new RangeError(`${where}: runs is empty; give at least one { name: history }`);
  const present = familiesOf(all.flatMap((r) => Object.keys(r.series.values)));
  const families = chosenFamilies(present, options.metrics, where, (m) => `no run has '${m}' (they have ${present.join(', ') || 'nothing'})`);
  if (families.length === 0) throw new RangeError(`${where}: the runs hold no series to draw`);

  const linesOf = (family: string): CurveLine[] => all.flatMap((run) => [family, `val_${family}`]
    .filter((n) => n in run.series.values)
    .map((n) => ({ id: `${run.name}/${n}`, colour: run.colour, dashed: n.startsWith('val_'), epochs: run.series.epochs, values: run.series.values[n] })));
  const drawn = families.flatMap(linesOf);
  const legend: LegendEntry[] = all.map((r) => ({ label: r.name, colour: r.colour, dashed: false }));
  // The line styles need a key only where both appear.
  if (drawn.some((l) => l.dashed) && drawn.some((l) => !l.dashed)) {
    legend.push({ label: 'training', colour: STYLE_COLOUR, dashed: false }, { label: validationLabel, colour: STYLE_COLOUR, dashed: true });
  }
  const rows = legendRows(legend, documentWidth(families.length));
  return panelsDocument(families, title, (family, x0, y0) => curvePanel(family, linesOf(family), [], x0, y0), {
    height: rows.length * LEGEND_ROW + 8,
    draw: (top) => [element('g', { class: 'legend' }, `\n${rows.flatMap((row, r) => row.flatMap(([e, x]) => legendEntry(e, x, top + 14 + r * LEGEND_ROW))).join('\n')}\n`)],
  });
}
