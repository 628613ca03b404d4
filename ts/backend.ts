/** Backend control: thread count, ISA, scratch memory. */
import { native } from './native';

export interface BackendInfo {
  /** ISA of the kernels that run: 'avx2' or 'scalar'. */
  isa: string;
  /** Best ISA this CPU supports. */
  bestIsa: string;
  /** Threads of the kernel thread pool (the calling thread included). */
  threads: number;
  hardwareThreads: number;
  /** Bytes of native scratch memory held (GEMM panels, im2col columns). */
  workspaceBytes: number;
  napiVersion: number;
}

export function backendInfo(): BackendInfo {
  return native().backendInfo();
}

/** Sets the number of threads the kernels use (1 to 1024). */
export function setNumThreads(threads: number): void {
  native().setNumThreads(threads);
}

export function getNumThreads(): number {
  return native().getNumThreads();
}

/**
 * Selects the kernels' ISA ('avx2' or 'scalar'). Meant for tests and
 * comparisons; the best one is chosen at load, and DENDRITE_ISA=scalar forces
 * the portable path for a whole process.
 */
export function setIsa(isa: 'avx2' | 'scalar'): void {
  native().setIsa(isa);
}

/** Frees the kernels' scratch memory (it grows to the largest call seen). */
export function releaseWorkspace(): void {
  native().releaseWorkspace();
}
