/**
 * Optional cross-check against the reference Python implementation: files we
 * write load with `safetensors.numpy`, and files it writes load with ours.
 * Skips (with a message) when python3 or its safetensors/numpy packages are
 * missing, as they are on a stock Debian (no python3-safetensors package).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSafetensorsSync, writeSafetensorsSync } from '../../ts/io';

const python = process.env.PYTHON ?? 'python3';
const probe = spawnSync(python, ['-c', 'import safetensors.numpy, numpy'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) {
  console.log(`safetensors cross-check skipped: ${python} cannot import safetensors.numpy and numpy (pip install safetensors numpy to run it)`);
}

const maybe = available ? test : test.skip;

maybe('Python safetensors reads our file and we read its file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-py-'));
  try {
    const ours = path.join(dir, 'ours.safetensors');
    const theirs = path.join(dir, 'theirs.safetensors');
    writeSafetensorsSync(
      ours,
      {
        w: { shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-7, -1e7) },
        ids: { shape: [3], data: Int32Array.of(-1, 0, 2147483647) },
        h: { dtype: 'F16', shape: [2], data: Float32Array.of(0.5, -3) },
      },
      { note: 'from dendrite' },
    );
    const code = `
import json, sys, numpy as np
from safetensors.numpy import load_file, save_file
from safetensors import safe_open
t = load_file(sys.argv[1])
with safe_open(sys.argv[1], framework="np") as f:
    meta = f.metadata()
print(json.dumps({k: {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.astype(np.float64).ravel().tolist()} for k, v in t.items()} | {"__meta": meta}))
save_file({"a": np.arange(6, dtype=np.float32).reshape(2, 3) / 4, "b": np.array([5, -6], dtype=np.int64), "c": np.array([1.5], dtype=np.float16)}, sys.argv[2], metadata={"m": "x"})
`;
    const r = spawnSync(python, ['-c', code, ours, theirs], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const seen = JSON.parse(r.stdout);
    expect(seen.w).toEqual({ dtype: 'float32', shape: [2, 3], values: Array.from(Float32Array.of(1, -2, 3.5, 0, 1e-7, -1e7)) });
    expect(seen.ids).toEqual({ dtype: 'int32', shape: [3], values: [-1, 0, 2147483647] });
    expect(seen.h).toEqual({ dtype: 'float16', shape: [2], values: [0.5, -3] });
    expect(seen.__meta).toEqual({ note: 'from dendrite' });
    const back = readSafetensorsSync(theirs);
    expect(Array.from(back.tensors.a.data)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    expect(back.tensors.a.shape).toEqual([2, 3]);
    expect(Array.from(back.tensors.b.data)).toEqual([5, -6]);
    expect(back.tensors.b.fileDtype).toBe('I64');
    expect(Array.from(back.tensors.c.data)).toEqual([1.5]);
    expect({ ...back.metadata }).toEqual({ m: 'x' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
