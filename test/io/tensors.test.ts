import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tensor } from '../../ts/tensor/create';
import { Tensor } from '../../ts/tensor/tensor';
import { decodeSafetensors, decodeTensors, encodeTensors, loadTensors, loadTensorsSync, saveTensors, saveTensorsSync, encodeSafetensors } from '../../ts/io';

test('named tensors round-trip through safetensors files and buffers', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dendrite-tensors-'));
  try {
    const weights = {
      'fc.weight': tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]),
      'fc.bias': tensor(Float32Array.of(-1, 1)),
      steps: tensor(Int32Array.of(42)),
    };
    const file = path.join(dir, 'w.safetensors');
    await saveTensors(file, weights, { epoch: '3' });
    for (const loaded of [await loadTensors(file), loadTensorsSync(file), decodeTensors(encodeTensors(weights, { epoch: '3' }))]) {
      expect(Object.keys(loaded.tensors)).toEqual(['fc.weight', 'fc.bias', 'steps']);
      expect(loaded.tensors['fc.weight']).toBeInstanceOf(Tensor);
      expect(loaded.tensors['fc.weight'].shape).toEqual([2, 3]);
      expect(Array.from(loaded.tensors['fc.weight'].data)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(loaded.tensors.steps.dtype).toBe('int32');
      expect(Array.from(loaded.tensors.steps.int32Data)).toEqual([42]);
      expect({ ...loaded.metadata }).toEqual({ epoch: '3' });
    }
    saveTensorsSync(file, { only: tensor(Float32Array.of(7)) });
    expect(decodeSafetensors(fs.readFileSync(file)).tensors.only.fileDtype).toBe('F32');
    // Half-precision files load as float32 tensors.
    fs.writeFileSync(file, encodeSafetensors({ h: { dtype: 'F16', shape: [2], data: Float32Array.of(0.5, -2) } }));
    const h = (await loadTensors(file)).tensors.h;
    expect(h.dtype).toBe('float32');
    expect(Array.from(h.data)).toEqual([0.5, -2]);
    expect(() => saveTensorsSync(file, { bad: Float32Array.of(1) as unknown as Tensor })).toThrow(/"bad" is not a Tensor/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
