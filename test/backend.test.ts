import { execFileSync } from 'child_process';
import { addonCandidates } from '../ts/native';
import { backendInfo, getNumThreads, IsaName, setIsa, setNumThreads } from '../ts/backend';

describe('backend', () => {
  test('reports ISA and threads', () => {
    const info = backendInfo();
    expect(['avx512', 'avx2', 'scalar']).toContain(info.isa);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.hardwareThreads).toBeGreaterThanOrEqual(1);
    expect(info.napiVersion).toBe(9);
  });

  test('setNumThreads / getNumThreads', () => {
    const before = getNumThreads();
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
    expect(backendInfo().threads).toBe(1);
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
    setNumThreads(before);
  });

  test('setNumThreads rejects bad counts with RangeError/TypeError', () => {
    expect(() => setNumThreads(0)).toThrow(RangeError);
    expect(() => setNumThreads(-2)).toThrow(RangeError);
    expect(() => setNumThreads(1.5)).toThrow(RangeError);
    expect(() => setNumThreads(NaN)).toThrow(RangeError);
    expect(() => setNumThreads(1e9)).toThrow(/threads/);
    expect(() => setNumThreads('2' as unknown as number)).toThrow(TypeError);
  });

  test('setNumThreads accepts up to 4 threads per core and refuses more, naming the cap', () => {
    const before = getNumThreads();
    const cap = 4 * backendInfo().hardwareThreads;
    try {
      setNumThreads(cap);
      expect(getNumThreads()).toBe(cap);
      expect(() => setNumThreads(cap + 1)).toThrow(new RegExp(`setNumThreads: argument 'threads' is ${cap + 1}, more than 4 per core \\(${cap} here\\)`));
      expect(() => setNumThreads(1024)).toThrow(RangeError);
      expect(getNumThreads()).toBe(cap);
    } finally {
      setNumThreads(before);
    }
  });

  test('setIsa switches paths and rejects unknown names', () => {
    const isa = backendInfo().isa;
    setIsa('scalar');
    expect(backendInfo().isa).toBe('scalar');
    setIsa(isa as IsaName);
    expect(() => setIsa('neon512' as IsaName)).toThrow(RangeError);
  });

  // Loads the addon binary directly in a child process with DENDRITE_ISA set; returns its ISA.
  const isaWith = (value: string): string => {
    const file = addonCandidates()[0];
    return execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(file)}).backendInfo().isa)`], {
      env: { ...process.env, DENDRITE_ISA: value },
    }).toString().trim();
  };

  test('DENDRITE_ISA=scalar forces the scalar path for a whole process', () => {
    expect(isaWith('scalar')).toBe('scalar');
  });

  test('DENDRITE_ISA caps the ISA at a level the CPU has, and an unknown or unsupported one is ignored', () => {
    const best = backendInfo().bestIsa;
    // This architecture's levels, lowest first (arm64: scalar and NEON).
    const levels = best === 'neon' ? ['scalar', 'neon'] : ['scalar', 'avx2', 'avx512'];
    for (const level of levels) {
      const supported = levels.indexOf(level) <= levels.indexOf(best);
      expect(isaWith(level)).toBe(supported ? level : best);
    }
    expect(isaWith('sse9')).toBe(best);
  });
  // Loads the addon in a child process with `env` added; returns its malloc policy.
  const mallocPolicyWith = (env: Record<string, string>): string => {
    const file = addonCandidates()[0];
    const clean = { ...process.env };
    delete clean.GLIBC_TUNABLES;
    delete clean.DENDRITE_MALLOC_TUNING;
    return execFileSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(file)}).backendInfo().mallocPolicy)`], {
      env: { ...clean, ...env },
    }).toString().trim();
  };

  test('malloc is tuned for tensors unless DENDRITE_MALLOC_TUNING=0 or the user set GLIBC_TUNABLES for it', () => {
    const glibc = process.platform === 'linux' && Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
    if (!glibc) {
      expect(mallocPolicyWith({})).toBe('unsupported');
      return;
    }
    expect(mallocPolicyWith({})).toBe('tuned');
    expect(mallocPolicyWith({ DENDRITE_MALLOC_TUNING: '0' })).toBe('off');
    expect(mallocPolicyWith({ GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=1048576' })).toBe('user');
    expect(mallocPolicyWith({ GLIBC_TUNABLES: 'glibc.cpu.x86_non_temporal_threshold=1048576' })).toBe('tuned');
    expect(['tuned', 'off', 'user']).toContain(backendInfo().mallocPolicy);
  });
});
