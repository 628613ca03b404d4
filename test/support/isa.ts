/** Runs a kernel test body under every ISA path this CPU has (the scalar one always). */
import { native } from '../../ts/native';
import type { IsaName } from '../../ts/backend';

export function availableIsas(): IsaName[] {
  // This architecture's levels, lowest first: the best one and every one below it run here.
  const best = native().backendInfo().bestIsa as IsaName;
  const all: IsaName[] = best === 'neon' ? ['scalar', 'neon'] : ['scalar', 'avx2', 'avx512'];
  // An unknown level would otherwise leave every per-ISA test body unrun.
  if (!all.includes(best)) throw new Error(`availableIsas: unknown best ISA '${best}'`);
  return all.slice(0, all.indexOf(best) + 1);
}

/** Calls fn once per ISA and thread count, restoring the backend afterwards. */
export function forEachBackend(fn: (isa: string, threads: number) => void, threadCounts = [1, 2]): void {
  const info = native().backendInfo();
  try {
    for (const isa of availableIsas()) {
      native().setIsa(isa);
      for (const t of threadCounts) {
        native().setNumThreads(t);
        fn(isa, t);
      }
    }
  } finally {
    native().setIsa(info.isa);
    native().setNumThreads(info.threads);
  }
}
