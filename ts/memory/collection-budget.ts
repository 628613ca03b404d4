/**
 * When the cache may ask for a garbage collection.
 *
 * Without the cache, V8 runs a minor collection about every 32 MiB of fresh
 * ArrayBuffer memory; with it, buffers handed out again are not fresh, so
 * that prompt goes away and dead tensors wait long for a collection to find
 * them. The cache gives it back in proportion: every byte it hands out (of
 * buffers large enough to watch) earns credit worth half of what fresh
 * pages for it would cost (about 2.5 µs per 4 KiB page, measured here); a
 * collection may be asked for when the credit of its kind covers what
 * collections of that kind have been taking, and its time is taken off. So
 * collections never cost more than half the page faults they stand in for,
 * whatever the heap's size makes them cost. A collection that found nothing
 * (the watched buffers were all alive) doubles the cost its kind is
 * reckoned at, so a loop that keeps its tensors stops paying for them.
 */

/** What a fresh 4 KiB page costs, in ms (about 2.5 µs on a quiet machine; more on a loaded one). */
export const PAGE_FAULT_MS = 0.0025;

/** Share of the page-fault cost of the memory handed out that collections may take. */
const SHARE = 0.5;

/** The most a collection is reckoned to cost, in ms (so a kind that found nothing many times may still be tried). */
const MAX_COST_MS = 1000;

export type CollectionKind = 'minor' | 'major';

export function pageCostMs(bytes: number): number {
  return Math.floor(bytes / 4096) * PAGE_FAULT_MS;
}

export class CollectionBudget {
  private readonly credit: Record<CollectionKind, number> = { minor: 0, major: 0 };
  /** Running estimates of what one collection of each kind takes, in ms. */
  private readonly costMs: Record<CollectionKind, number> = { minor: 1, major: 5 };

  /** `bytes` were handed out: credit for both kinds, up to a few collections' worth. */
  earn(bytes: number): void {
    const ms = SHARE * pageCostMs(bytes);
    for (const kind of ['minor', 'major'] as const) this.credit[kind] = Math.min(this.credit[kind] + ms, 4 * this.costMs[kind]);
  }

  /** Whether a collection of this kind is affordable now. */
  allows(kind: CollectionKind): boolean {
    return this.credit[kind] >= this.costMs[kind];
  }

  /** A collection of this kind took `ms`; `useful`: it found dead buffers. */
  spent(kind: CollectionKind, ms: number, useful: boolean): void {
    this.credit[kind] -= ms;
    const estimate = 0.75 * this.costMs[kind] + 0.25 * ms;
    this.costMs[kind] = useful ? estimate : Math.min(MAX_COST_MS, 2 * Math.max(estimate, this.costMs[kind]));
  }
}
