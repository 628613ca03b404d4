/**
 * test/fixtures/reference.safetensors was written from the format's
 * specification by scripts/make-safetensors-fixture.py (standard library
 * only); these are the values that script lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { decodeSafetensors, readSafetensors, readSafetensorsHeaderSync, readSafetensorsSync } from '../../ts/io';

const fixture = path.join(__dirname, '..', 'fixtures', 'reference.safetensors');

const expected: Record<string, { dtype: string; fileDtype: string; shape: number[]; values: number[] }> = {
  weight: { dtype: 'float32', fileDtype: 'F32', shape: [2, 3], values: [1.0, -2.5, 3.25, 0.0, Math.fround(0.001), -7.0] },
  bias: { dtype: 'float32', fileDtype: 'F32', shape: [3], values: [0.5, -0.25, 100.0] },
  ids: { dtype: 'int32', fileDtype: 'I32', shape: [4], values: [0, -1, 2147483647, -2147483648] },
  half: { dtype: 'float32', fileDtype: 'F16', shape: [2, 2], values: [1.0, -0.5, 65504.0, 2 ** -24] },
  brain: { dtype: 'float32', fileDtype: 'BF16', shape: [3], values: [1.0, -2.0, 3.140625] },
  double: { dtype: 'float32', fileDtype: 'F64', shape: [2], values: [Math.fround(0.1), Math.fround(-1e10)] },
  long: { dtype: 'int32', fileDtype: 'I64', shape: [3], values: [1, -2, 2147483647] },
  bytes: { dtype: 'int32', fileDtype: 'U8', shape: [5], values: [0, 1, 127, 128, 255] },
  signed: { dtype: 'int32', fileDtype: 'I8', shape: [3], values: [-128, 0, 127] },
  flags: { dtype: 'int32', fileDtype: 'BOOL', shape: [2], values: [1, 0] },
  empty: { dtype: 'float32', fileDtype: 'F32', shape: [0, 4], values: [] },
  scalar: { dtype: 'float32', fileDtype: 'F32', shape: [], values: [42.0] },
};

function checkContents(contents: ReturnType<typeof decodeSafetensors>): void {
  expect(Object.keys(contents.tensors).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    const t = contents.tensors[name];
    expect({ name, dtype: t.dtype, fileDtype: t.fileDtype, shape: t.shape }).toEqual({ name, dtype: want.dtype, fileDtype: want.fileDtype, shape: want.shape });
    expect(t.data).toBeInstanceOf(want.dtype === 'float32' ? Float32Array : Int32Array);
    expect(Array.from(t.data)).toEqual(want.values);
  }
  expect({ ...contents.metadata }).toEqual({ format: 'pt', made_by: 'scripts/make-safetensors-fixture.py' });
}

test('the reference file reads with the values its script wrote (async, sync, buffer)', async () => {
  checkContents(await readSafetensors(fixture));
  checkContents(readSafetensorsSync(fixture));
  checkContents(decodeSafetensors(fs.readFileSync(fixture)));
});

test('header keys are sorted by name in the file while the data follows the script order', () => {
  const header = readSafetensorsHeaderSync(fixture);
  const byHeader = header.tensors.map((t) => t.name);
  const byOffset = [...header.tensors].sort((a, b) => a.begin - b.begin).map((t) => t.name);
  expect(byHeader).toEqual([...byHeader].sort());
  expect(byOffset.slice(0, 3)).toEqual(['weight', 'bias', 'ids']);
  expect(header.dataStart % 8).toBe(0);
});
