/** Backend control: thread count, ISA, scratch memory. */
import { native } from './native';

export interface BackendInfo {
  /** ISA of the kernels that run: 'avx512', 'avx2' or 'scalar' on x64; 'neon' or 'scalar' on arm64. */
  isa: string;
  /** Best ISA this CPU supports. */
  bestIsa: string;
  /** Threads of the kernel thread pool (the calling thread included). */
  threads: number;
  hardwareThreads: number;
  /** Bytes of native scratch memory held (GEMM panels, im2col columns). */
  workspaceBytes: number;
  napiVersion: number;
  /**
   * How glibc's malloc is set for tensor-sized blocks in this process:
   * 'tuned' (dendrite raised its trim threshold so freed tensors' memory is
   * reused instead of faulted in again; see docs/backend.md), 'off'
   * (DENDRITE_MALLOC_TUNING=0), 'user' (GLIBC_TUNABLES sets malloc options)
   * or 'unsupported' (not glibc).
   */
  mallocPolicy: 'tuned' | 'off' | 'user' | 'unsupported';
}

export function backendInfo(): BackendInfo {
  return native().backendInfo();
}

/** Sets the number of threads the kernels use: 1 to 4 per core this process may run on (more only adds switching). */
export function setNumThreads(threads: number): void {
  native().setNumThreads(threads);
}

export function getNumThreads(): number {
  return native().getNumThreads();
}

/**
 * Selects the kernels' ISA. Meant for tests and comparisons; the best one the
 * CPU runs is chosen at load, and DENDRITE_ISA=avx2 (or scalar) caps it for a
 * whole process. Families without an AVX-512 kernel run their AVX2 one under
 * 'avx512'.
 */
export type IsaName = 'avx512' | 'avx2' | 'neon' | 'scalar';

export function setIsa(isa: IsaName): void {
  native().setIsa(isa);
}

/** Frees the kernels' scratch memory (it grows to the largest call seen). */
export function releaseWorkspace(): void {
  native().releaseWorkspace();
}
