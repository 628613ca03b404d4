/** Types of the data-movement bindings (native/addon/bind_layout.cc). Outputs are overwritten unless said. */
export interface LayoutBindings {
  /** out = x.permute(perm) made contiguous; x has `shape` (rank <= 8). */
  permute(x: Float32Array, shape: Int32Array, perm: Int32Array, out: Float32Array): void;
  /** out[i] = table[indices[i]] (rows of `cols` floats); RangeError naming a bad index. */
  gatherRows(table: Float32Array, rows: number, cols: number, indices: Int32Array, out: Float32Array): void;
  /** gtable[indices[i]] += gy[i] (accumulates; deterministic for any thread count). */
  scatterAddRows(gy: Float32Array, indices: Int32Array, cols: number, gtable: Float32Array, rows: number): void;
  /** dst[dstOffset + b·dstStride + i] = src[srcOffset + b·srcStride + i] for b < blocks, i < blockLen. */
  copyBlocks(
    src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number,
    blocks: number, blockLen: number, srcStride: number, dstStride: number,
  ): void;
}
