/** Tensors and state dicts across threads: structured clone, revive, transfer lists, shared memory. */
import { MessageChannel, Worker } from 'worker_threads';
import * as dd from '../../ts/index';
import { addonCandidates, native } from '../../ts/native';

const { nn } = dd;

/** Posts `value` through a real MessageChannel (structured clone, with optional transfers). */
function roundTrip<T>(value: T, transfer: ArrayBuffer[] = []): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (m) => {
      port1.close();
      resolve(m);
    });
    port1.postMessage(value, transfer);
  });
}

test('a state dict posted as it is loads into a model, and revive() gives Tensors back', async () => {
  dd.manualSeed(1);
  const a = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
  const b = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU(), new nn.Linear(3, 2));
  const dict = a.stateDict();
  const arrived = (await roundTrip(dict, dd.transferList(dict))) as Record<string, unknown>;
  expect(arrived['0.weight']).not.toBeInstanceOf(dd.Tensor);
  b.loadStateDict(arrived as never);
  expect(b.stateDict()['2.bias'].toArray()).toEqual(a.stateDict()['2.bias'].toArray());
  const revived = dd.revive<Record<string, dd.Tensor>>(arrived);
  expect(revived['0.weight']).toBeInstanceOf(dd.Tensor);
  expect(revived['0.weight'].shape).toEqual([3, 4]);
  expect(revived['0.weight'].toArray()).toEqual(a.stateDict()['0.weight'].toArray());
  // The transfer moved the dict's buffers: stateDict() had made copies, the model keeps its own.
  expect(dict['0.weight'].numel).toBe(12);
  expect(() => dict['0.weight'].data[0]).not.toThrow();
  expect(a.stateDict()['0.weight'].data.length).toBe(12);
});

test('revive walks objects and arrays, keeps other values, and checks sizes', async () => {
  const t = dd.tensor([[1, 2], [3, 4]]);
  const labels = dd.tensor([1, 0], { dtype: 'int32' });
  const arrived = (await roundTrip({ batch: [t, labels], note: 'x', n: 3, msg: dd.tensorToMessage(t) })) as object;
  const r = dd.revive<{ batch: dd.Tensor[]; note: string; n: number; msg: dd.Tensor }>(arrived);
  expect(r.batch[0].toArray()).toEqual([[1, 2], [3, 4]]);
  expect(r.batch[1].dtype).toBe('int32');
  expect(r.batch[1].toArray()).toEqual([1, 0]);
  expect(r.msg.toArray()).toEqual([[1, 2], [3, 4]]);
  expect(r.note).toBe('x');
  expect(r.n).toBe(3);
  expect(() => dd.tensorFromMessage({ shape: [3, 3], dtype: 'float32', data: new Float32Array(4) })).toThrow(/needs 9 values, the message holds 4/);
  expect(dd.revive(null)).toBeNull();
});

test('dd.share puts a tensor in shared memory that the kernels and a worker both read', async () => {
  const x = dd.share(dd.tensor([[1, 2], [3, 4]]));
  expect(x.data.buffer).toBeInstanceOf(SharedArrayBuffer);
  // Kernels take arrays on shared memory (their data pointer comes from the typed array itself).
  expect(dd.matmul(x, x).toArray()).toEqual([[7, 10], [15, 22]]);
  expect(dd.share(x)).toBe(x);
  const c = new Float32Array(new SharedArrayBuffer(16));
  native().gemm(false, false, 2, 2, 2, 1, x.data, 2, 0, x.data, 2, 0, 0, c, 2, 0, 1);
  expect(Array.from(c)).toEqual([7, 10, 15, 22]);

  // A worker writes into the same memory; this thread sees it.
  const code = `
    const { workerData, parentPort } = require('worker_threads');
    const addon = require(workerData.file);
    const a = workerData.a, out = workerData.out;
    addon.gemm(false, false, 2, 2, 2, 1, a, 2, 0, a, 2, 0, 0, out, 2, 0, 1);
    parentPort.postMessage('done');`;
  const out = new Float32Array(new SharedArrayBuffer(16));
  await new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { file: addonCandidates()[0], a: x.data, out } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  expect(Array.from(out)).toEqual([7, 10, 15, 22]);
});

test('dd.share takes { data, shape } (a data set\'s x and y) and refuses anything else', () => {
  const x = dd.share({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
  expect(x.shape).toEqual([2, 3]);
  expect(x.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  const y = dd.share({ data: new Int32Array([3, 1]), shape: [2] });
  expect(y.dtype).toBe('int32');
  expect(y.int32Data.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(() => dd.share([1, 2] as never)).toThrow(/share: expected a Tensor or \{ data/);
  expect(() => dd.share({ data: new Float32Array(2), shape: [3] })).toThrow(/needs 3 values/);
});
