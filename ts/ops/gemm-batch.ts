/**
 * Batched matrix products on buffers through the native gemm, with NumPy
 * broadcasting of batch axes. Each operand is a list of matrix offsets, one
 * per output batch entry; when the offsets are evenly spaced (the usual case:
 * a full batch, or one matrix shared by all) it is a single strided call.
 */
import { native } from '../native';
import { contiguousStrides, numel, Shape } from '../tensor/shape';

/** Element offset of operand matrix i for each entry of the broadcast batch. */
export function batchOffsets(batch: Shape, own: Shape, matrixSize: number): number[] {
  const padded = [...new Array<number>(batch.length - own.length).fill(1), ...own];
  const strides = contiguousStrides(padded).map((s, d) => (padded[d] === 1 ? 0 : s * matrixSize));
  const total = numel(batch);
  const out = new Array<number>(total);
  const index = new Array<number>(batch.length).fill(0);
  let offset = 0;
  for (let i = 0; i < total; i++) {
    out[i] = offset;
    // Odometer step over the batch axes, updating the offset incrementally.
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++index[d] < batch[d]) {
        offset += strides[d];
        break;
      }
      offset -= strides[d] * (batch[d] - 1);
      index[d] = 0;
    }
  }
  return out;
}

/** The common step of an arithmetic sequence (0 for one entry), or null. */
function evenStep(offsets: readonly number[]): number | null {
  if (offsets.length < 2) return 0;
  const step = offsets[1] - offsets[0];
  if (step < 0) return null;
  for (let i = 2; i < offsets.length; i++) if (offsets[i] - offsets[i - 1] !== step) return null;
  return step;
}

export interface Operand {
  data: Float32Array;
  offsets: readonly number[];
  ld: number;
}

/**
 * C_i = alpha·op(A_i)·op(B_i) + beta·C_i for every batch entry i. Entries of
 * C may repeat (a gradient summed over a broadcast batch): then beta must be
 * 1 on a zeroed C, and the products are added one after another.
 */
export function gemmBatch(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Operand, b: Operand, beta: number, c: Operand,
): void {
  const batch = c.offsets.length;
  if (batch === 0 || m === 0 || n === 0) return;
  const sa = evenStep(a.offsets), sb = evenStep(b.offsets), sc = evenStep(c.offsets);
  const cSpan = (m - 1) * c.ld + n;
  if (sa !== null && sb !== null && sc !== null && (batch === 1 || sc >= cSpan)) {
    native().gemm(
      transA, transB, m, n, k, alpha,
      a.data.subarray(a.offsets[0]), a.ld, sa,
      b.data.subarray(b.offsets[0]), b.ld, sb,
      beta, c.data.subarray(c.offsets[0]), c.ld, sc, batch,
    );
    return;
  }
  for (let i = 0; i < batch; i++) {
    native().gemm(
      transA, transB, m, n, k, alpha,
      a.data.subarray(a.offsets[i]), a.ld, 0,
      b.data.subarray(b.offsets[i]), b.ld, 0,
      beta, c.data.subarray(c.offsets[i]), c.ld, 0, 1,
    );
  }
}
