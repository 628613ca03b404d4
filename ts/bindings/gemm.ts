/** Types of the GEMM bindings (native/addon/bind_gemm.cc). */
export interface GemmBindings {
  /** Strided batched C_i = alpha·op(A_i)·op(B_i) + beta·C_i; a stride of 0 broadcasts. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, strideA: number,
    b: Float32Array, ldb: number, strideB: number,
    beta: number, c: Float32Array, ldc: number, strideC: number, batch: number,
  ): void;
}
