/**
 * Row-sparse gradients for large tables (output embeddings with tens of
 * thousands of rows). A table marked with `sparseGrad(table)` receives the
 * gradients of row-gathering ops (negativeSamplingLoss) as (row index,
 * gradient row) pairs instead of a dense table-sized tensor, so a step costs
 * the rows it touched, not the whole table. SparseSGD / SparseAdam
 * (dd.optim) apply them.
 */
import type { Tensor } from '../tensor/tensor';

export interface RowGradients {
  /** Row indices, one per gradient row (a row may repeat: the rows add up). */
  indices: Int32Array;
  /** Gradient rows, indices.length × rowLength. */
  values: Float32Array;
  rowLength: number;
}

interface Accumulated {
  chunks: Array<{ indices: Int32Array; values: Float32Array }>;
  rowLength: number;
}

const sparseTables = new WeakMap<Tensor, Accumulated>();

/** Marks a 2-D table so that row-gathering ops give it row-sparse gradients; returns it. */
export function sparseGrad(table: Tensor): Tensor {
  if (table.shape.length !== 2) throw new RangeError(`sparseGrad: the table must be 2-D, got shape [${table.shape.join(', ')}]`);
  if (!sparseTables.has(table)) sparseTables.set(table, { chunks: [], rowLength: table.shape[1] });
  return table;
}

export function isSparseGrad(table: Tensor): boolean {
  return sparseTables.has(table);
}

/** Adds gradient rows for `indices` (called from backward rules). */
export function accumulateRows(table: Tensor, indices: Int32Array, values: Float32Array): void {
  const acc = sparseTables.get(table);
  if (acc === undefined) throw new Error('accumulateRows: the table is not marked with sparseGrad()');
  acc.chunks.push({ indices, values });
}

/** The row gradients accumulated since the last clear, merged into one list (null when none). */
export function rowGradients(table: Tensor): RowGradients | null {
  const acc = sparseTables.get(table);
  if (acc === undefined || acc.chunks.length === 0) return null;
  if (acc.chunks.length === 1) return { ...acc.chunks[0], rowLength: acc.rowLength };
  const n = acc.chunks.reduce((s, c) => s + c.indices.length, 0);
  const indices = new Int32Array(n);
  const values = new Float32Array(n * acc.rowLength);
  let at = 0;
  for (const c of acc.chunks) {
    indices.set(c.indices, at);
    values.set(c.values, at * acc.rowLength);
    at += c.indices.length;
  }
  acc.chunks = [{ indices, values }];
  return { indices, values, rowLength: acc.rowLength };
}

export function clearRowGradients(table: Tensor): void {
  const acc = sparseTables.get(table);
  if (acc !== undefined) acc.chunks = [];
}
