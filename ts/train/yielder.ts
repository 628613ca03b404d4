/**
 * Lets the event loop run between batches, so timers, sockets and requests
 * keep being served while a model trains. A yield (setImmediate) costs a few
 * microseconds; doing it only once `intervalMs` of work has passed keeps that
 * negligible even for tiny batches, while latency stays around intervalMs.
 */
export class EventLoopYielder {
  private last = performance.now();
  constructor(private readonly intervalMs = 4) {}

  /** Yields if intervalMs has passed since the last yield. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.intervalMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
