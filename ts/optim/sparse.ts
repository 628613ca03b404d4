/**
 * Optimizers for row-sparse gradients (tables marked with dd.nn.sparseGrad):
 * they update only the rows a step touched, as PyTorch's SGD on sparse
 * gradients and its SparseAdam ("lazy" Adam: moments of untouched rows stay
 * as they were) do. Repeated indices are summed first.
 */
import type { Tensor } from '../tensor/tensor';
import { clearRowGradients, isSparseGrad, RowGradients, rowGradients } from '../nn/sparse-grad';
import { rejectUnknownOptions } from '../options';

function checkTables(tables: Iterable<Tensor>, where: string): Tensor[] {
  const list = [...tables];
  if (list.length === 0) throw new RangeError(`${where}: got no tables`);
  for (const t of list) {
    if (!isSparseGrad(t)) throw new TypeError(`${where}: every table must be marked with dd.nn.sparseGrad(table)`);
  }
  return list;
}

function checkRate(v: unknown, name: string, where: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new RangeError(`${where}: ${name} must be a finite number >= ${min}, got ${String(v)}`);
  return v;
}

/** Sums gradient rows that share an index: returns unique indices and their summed rows. */
function coalesce(g: RowGradients): { indices: number[]; rows: Float32Array } {
  const d = g.rowLength;
  const slot = new Map<number, number>();
  const indices: number[] = [];
  for (let i = 0; i < g.indices.length; i++) if (!slot.has(g.indices[i])) { slot.set(g.indices[i], indices.length); indices.push(g.indices[i]); }
  const rows = new Float32Array(indices.length * d);
  for (let i = 0; i < g.indices.length; i++) {
    const at = (slot.get(g.indices[i]) as number) * d;
    for (let j = 0; j < d; j++) rows[at + j] += g.values[i * d + j];
  }
  return { indices, rows };
}

export class SparseSGD {
  readonly tables: Tensor[];
  lr: number;
  constructor(tables: Iterable<Tensor>, options: { lr: number }) {
    rejectUnknownOptions(options, ['lr'], 'SparseSGD');
    this.tables = checkTables(tables, 'SparseSGD');
    this.lr = checkRate(options.lr, 'lr', 'SparseSGD');
  }
  step(): void {
    for (const table of this.tables) {
      const g = rowGradients(table);
      if (g === null) continue;
      const d = g.rowLength;
      const w = table.data;
      for (let i = 0; i < g.indices.length; i++) {
        const at = g.indices[i] * d;
        for (let j = 0; j < d; j++) w[at + j] -= this.lr * g.values[i * d + j];
      }
    }
  }
  zeroGrad(): void {
    for (const t of this.tables) clearRowGradients(t);
  }
}

export class SparseAdam {
  readonly tables: Tensor[];
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private readonly moments = new Map<Tensor, { m: Float32Array; v: Float32Array; steps: Int32Array }>();

  constructor(tables: Iterable<Tensor>, options: { lr?: number; betas?: [number, number]; eps?: number } = {}) {
    rejectUnknownOptions(options, ['lr', 'betas', 'eps'], 'SparseAdam');
    this.tables = checkTables(tables, 'SparseAdam');
    this.lr = checkRate(options.lr ?? 1e-3, 'lr', 'SparseAdam');
    const [b1, b2] = options.betas ?? [0.9, 0.999];
    this.beta1 = checkRate(b1, 'betas[0]', 'SparseAdam');
    this.beta2 = checkRate(b2, 'betas[1]', 'SparseAdam');
    if (b1 >= 1 || b2 >= 1) throw new RangeError(`SparseAdam: betas must be in [0, 1), got [${b1}, ${b2}]`);
    this.eps = checkRate(options.eps ?? 1e-8, 'eps', 'SparseAdam');
  }

  step(): void {
    for (const table of this.tables) {
      const g = rowGradients(table);
      if (g === null) continue;
      const d = g.rowLength;
      let st = this.moments.get(table);
      if (st === undefined) {
        st = { m: new Float32Array(table.numel), v: new Float32Array(table.numel), steps: new Int32Array(table.shape[0]) };
        this.moments.set(table, st);
      }
      const { indices, rows } = coalesce(g);
      const w = table.data;
      for (let r = 0; r < indices.length; r++) {
        const row = indices[r];
        // Bias correction per row: a row's moments have seen only the steps that touched it.
        const t = ++st.steps[row];
        const c1 = 1 - Math.pow(this.beta1, t);
        const c2 = 1 - Math.pow(this.beta2, t);
        const at = row * d;
        for (let j = 0; j < d; j++) {
          const gj = rows[r * d + j];
          const m = (st.m[at + j] = this.beta1 * st.m[at + j] + (1 - this.beta1) * gj);
          const v = (st.v[at + j] = this.beta2 * st.v[at + j] + (1 - this.beta2) * gj * gj);
          w[at + j] -= (this.lr * (m / c1)) / (Math.sqrt(v / c2) + this.eps);
        }
      }
    }
  }

  zeroGrad(): void {
    for (const t of this.tables) clearRowGradients(t);
  }
}
