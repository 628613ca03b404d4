/** Types of the backend-control bindings (implemented in native/addon/bind_backend.cc). */
export interface BackendBindings {
  backendInfo(): { isa: string; bestIsa: string; threads: number; hardwareThreads: number; workspaceBytes: number; napiVersion: number; mallocPolicy: 'tuned' | 'off' | 'user' | 'unsupported' };
  setNumThreads(threads: number): void;
  getNumThreads(): number;
  setIsa(isa: string): void;
  releaseWorkspace(): void;
}
