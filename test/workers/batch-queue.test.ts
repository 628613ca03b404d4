/** Dynamic batching's waiting room: arrival order, same-shape batches, no split requests. */
import { BatchQueue, QueuedRequest } from '../../ts/workers/batch-queue';

const req = (rows: number, key: string, arrived = 0, name = ''): QueuedRequest & { name: string } => ({ rows, key, arrived, name });

test('a batch is the oldest request and later ones of its shape, while they fit', () => {
  const q = new BatchQueue<ReturnType<typeof req>>();
  expect(q.take(8)).toEqual([]);
  expect(q.oldestAge(5)).toBe(-1);
  q.push(req(3, 'a', 1, 'a1'));
  q.push(req(1, 'b', 2, 'b1'));
  q.push(req(4, 'a', 3, 'a2'));
  q.push(req(2, 'a', 4, 'a3'));
  q.push(req(1, 'a', 5, 'a4'));
  expect(q.oldestAge(11)).toBe(10);
  expect(q.readyRows(8)).toBe(9);
  expect(q.readyRows(100)).toBe(10);
  // a3 (2 rows) would make 9 > 8: it waits, and a4 (1 row) still fits.
  expect(q.take(8).map((r) => r.name)).toEqual(['a1', 'a2', 'a4']);
  expect(q.length).toBe(2);
  expect(q.take(8).map((r) => r.name)).toEqual(['b1']);
  // A request larger than the limit still runs, alone.
  q.push(req(20, 'a', 6, 'big'));
  expect(q.take(8).map((r) => r.name)).toEqual(['a3']);
  expect(q.take(8).map((r) => r.name)).toEqual(['big']);
  q.push(req(1, 'c'));
  expect(q.drain().length).toBe(1);
  expect(q.length).toBe(0);
});
