/**
 * Axis ticks at round numbers: a step of 1, 2 or 5 times a power of ten
 * giving about `count` intervals, and the axis widened to whole steps so the
 * first and last ticks sit on its ends.
 */

export interface Ticks {
  /** The axis ends (multiples of step). */
  lo: number;
  hi: number;
  values: number[];
  /** Tick labels, all with the same number of decimals. */
  labels: string[];
}

function niceStep(span: number, count: number, integer: boolean): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** Ticks covering [min, max]; `integer` keeps steps whole (epochs). A single value gets an axis around it. */
export function niceTicks(min: number, max: number, count = 5, integer = false): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) [min, max] = [0, 1];
  if (max === min) {
    const pad = integer ? 1 : Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    [min, max] = [min - pad, max + pad];
  }
  const step = niceStep(max - min, count, integer);
  // A whisker of tolerance keeps 0.30000000000000004 from pushing an extra step.
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) values.push(Number((lo + i * step).toFixed(decimals)));
  return { lo, hi, values, labels: values.map((v) => v.toFixed(decimals)) };
}
