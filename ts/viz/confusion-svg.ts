/**
 * A confusion matrix as an SVG heat map: one cell per (true, predicted)
 * pair, shaded from white to dark blue by its value over the largest value,
 * holding the value as text (counts as integers, normalised values with two
 * decimals); rows are true classes, columns predicted ones.
 */
import { rejectUnknownOptions } from '../options';
import { describe } from './checks';
import type { ConfusionMatrix } from './confusion';
import { element, svgDocument, text } from './svg';

export interface ConfusionMatrixSvgOptions {
  /** Class names in index order (default the matrix's own, or '0', '1', …). */
  classNames?: readonly string[];
  /** A title above the matrix. */
  title?: string;
}

const CELL = 44;
const LIGHT = [247, 251, 255];
const DARK = [8, 48, 107];

function shade(t: number): string {
  const rgb = LIGHT.map((l, i) => Math.round(l + (DARK[i] - l) * t));
  return `rgb(${rgb.join(',')})`;
}

function matrixOf(matrix: unknown, where: string): { values: number[][]; names: readonly string[] | null } {
  const m = matrix as Partial<ConfusionMatrix>;
  const values = Array.isArray(matrix) ? (matrix as number[][]) : m !== null && typeof m === 'object' ? m.values : undefined;
  const k = values?.length ?? 0;
  if (!Array.isArray(values) || k === 0 || !values.every((r) => Array.isArray(r) && r.length === k && r.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new TypeError(`${where}: matrix must be what confusionMatrix returns or a square array of finite numbers, got ${describe(matrix)}`);
  }
  return { values, names: Array.isArray(matrix) ? null : (m.classNames ?? null) };
}

/** The matrix (what confusionMatrix returns, or a square number[][]) as an SVG document string. */
export function confusionMatrixSvg(matrix: ConfusionMatrix | readonly (readonly number[])[], options: ConfusionMatrixSvgOptions = {}): string {
  const where = 'confusionMatrixSvg';
  rejectUnknownOptions(options, ['classNames', 'title'], where);
  const { values, names: own } = matrixOf(matrix, where);
  const k = values.length;
  const names = options.classNames ?? own ?? values.map((_, i) => String(i));
  if (!Array.isArray(names) || names.length !== k || !names.every((n) => typeof n === 'string')) {
    throw new RangeError(`${where}: classNames must be ${k} strings, one per class`);
  }
  if (options.title !== undefined && typeof options.title !== 'string') throw new TypeError(`${where}: title must be a string`);
  const integral = values.every((r) => r.every((v) => Number.isInteger(v)));
  const largest = Math.max(...values.flat().map(Math.abs)) || 1;
  // Room for the longest class name left of the rows and under the (slanted) column labels.
  const label = 7 * Math.max(...names.map((n) => n.length)) + 12;
  const top = options.title === undefined ? 16 : 44;
  const [left, gridTop] = [label + 28, top + 8];
  const body: string[] = [];
  if (options.title !== undefined) body.push(text(left + (k * CELL) / 2, 24, options.title, { 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' }));
  values.forEach((row, t) => {
    const y = gridTop + t * CELL;
    body.push(text(left - 6, y + CELL / 2 + 4, names[t], { 'text-anchor': 'end' }));
    row.forEach((v, p) => {
      const x = left + p * CELL;
      const share = Math.abs(v) / largest;
      body.push(element('rect', { class: 'cell', 'data-true': t, 'data-predicted': p, x, y, width: CELL, height: CELL, fill: shade(share), stroke: 'white' }));
      body.push(text(x + CELL / 2, y + CELL / 2 + 4, integral ? String(v) : v.toFixed(2), { 'text-anchor': 'middle', fill: share > 0.5 ? 'white' : 'black' }));
    });
  });
  const bottom = gridTop + k * CELL;
  names.forEach((n, p) => {
    const x = left + p * CELL + CELL / 2;
    body.push(text(x, bottom + 14, n, { 'text-anchor': 'end', transform: `rotate(-45 ${x} ${bottom + 14})` }));
  });
  // Labels slanted at 45° reach down about 0.7 of their length.
  const under = Math.round(0.72 * label) + 14;
  body.push(text(left + (k * CELL) / 2, bottom + under + 14, 'predicted', { 'text-anchor': 'middle', 'font-weight': 'bold' }));
  const middle = gridTop + (k * CELL) / 2;
  body.push(text(14, middle, 'true', { 'text-anchor': 'middle', 'font-weight': 'bold', transform: `rotate(-90 14 ${middle})` }));
  return svgDocument(left + k * CELL + 16, bottom + under + 24, body);
}
