/**
 * The waiting room of an inference pool's dynamic batching: requests wait in
 * arrival order; a batch is the oldest request plus the later ones whose
 * samples have the same shape, up to a number of samples. Requests are never
 * split, and a request of another shape never joins (so a malformed request
 * can only fail its own batch).
 */

export interface QueuedRequest {
  /** Samples (rows of the first dimension). */
  rows: number;
  /** The shape of one sample, as a key ("1,28,28"). */
  key: string;
  /** When it arrived (performance.now()). */
  arrived: number;
}

export class BatchQueue<R extends QueuedRequest> {
  private items: R[] = [];

  get length(): number {
    return this.items.length;
  }

  push(r: R): void {
    this.items.push(r);
  }

  /** How long the oldest request has waited (ms), or -1 when empty. */
  oldestAge(now: number): number {
    return this.items.length === 0 ? -1 : now - this.items[0].arrived;
  }

  /** Samples waiting that could join the oldest request's batch (same shape), counted up to `limit`. */
  readyRows(limit: number): number {
    if (this.items.length === 0) return 0;
    const key = this.items[0].key;
    let rows = 0;
    for (const r of this.items) {
      if (r.key !== key) continue;
      rows += r.rows;
      if (rows >= limit) break;
    }
    return rows;
  }

  /** Removes and returns the next batch: the oldest request and the later same-shaped ones while they fit in maxRows. */
  take(maxRows: number): R[] {
    if (this.items.length === 0) return [];
    const head = this.items[0];
    const batch: R[] = [head];
    const rest: R[] = [];
    let rows = head.rows;
    for (let i = 1; i < this.items.length; i++) {
      const r = this.items[i];
      if (r.key === head.key && rows + r.rows <= maxRows) {
        batch.push(r);
        rows += r.rows;
      } else {
        rest.push(r);
      }
    }
    this.items = rest;
    return batch;
  }

  /** Empties the queue, returning what was in it. */
  drain(): R[] {
    const all = this.items;
    this.items = [];
    return all;
  }
}
