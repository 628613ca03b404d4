/** Text form of a tensor, laid out as PyTorch prints them (summarised beyond 1000 elements). */
import type { DType } from './dtype';

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

type Formatter = (v: number) => string;

function chooseFormatter(values: number[], dtype: DType): Formatter {
  if (dtype === 'int32') return (v) => String(v);
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.length === 0) return (v) => (Number.isFinite(v) ? String(v) : special(v));
  const absMax = Math.max(...finite.map(Math.abs));
  const nonzero = finite.filter((v) => v !== 0).map(Math.abs);
  const absMin = nonzero.length ? Math.min(...nonzero) : 0;
  if (finite.every(Number.isInteger) && absMax < 1e8) {
    return (v) => (Number.isFinite(v) ? `${v}.` : special(v));
  }
  if (absMax >= 1e8 || (absMin > 0 && absMin < 1e-4) || absMax / (absMin || 1) > 1e7) {
    return (v) => (Number.isFinite(v) ? v.toExponential(4) : special(v));
  }
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

/** Indices shown along an axis of size n: all, or the first and last few around a gap (-1). */
function shownIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

export function formatTensor(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  prefix: string,
  suffixes: string[],
): string {
  const tail = suffixes.length ? `, ${suffixes.join(', ')}` : '';
  const n = data.length;
  if (shape.length === 0) return `${prefix}(${chooseFormatter([data[0]], dtype)(data[0])}${tail})`;
  if (n === 0) {
    const size = shape.length === 1 ? '' : `, size=[${shape.join(', ')}]`;
    return `${prefix}([]${size}${tail})`;
  }
  const summarise = n > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  // The values that will be printed decide the number format and the column width.
  const shown: number[] = [];
  const collect = (depth: number, offset: number): void => {
    for (const i of shownIndices(shape[depth], summarise)) {
      if (i < 0) continue;
      if (depth === shape.length - 1) shown.push(data[offset + i]);
      else collect(depth + 1, offset + i * strides[depth]);
    }
  };
  collect(0, 0);
  const fmt = chooseFormatter(shown, dtype);
  const width = Math.max(...shown.map((v) => fmt(v).length));
  const pad = (v: number) => fmt(v).padStart(width);
  const indentBase = prefix.length + 1;
  const render = (depth: number, offset: number): string => {
    const parts: string[] = [];
    for (const i of shownIndices(shape[depth], summarise)) {
      if (i < 0) parts.push('...');
      else if (depth === shape.length - 1) parts.push(pad(data[offset + i]));
      else parts.push(render(depth + 1, offset + i * strides[depth]));
    }
    if (depth === shape.length - 1) return `[${parts.join(', ')}]`;
    const gap = '\n'.repeat(shape.length - depth - 1);
    return `[${parts.join(`,${gap}${' '.repeat(indentBase + depth + 1)}`)}]`;
  };
  return `${prefix}(${render(0, 0)}${tail})`;
}
