/**
 * A Watcher whose "collections" the test decides: kill(array) marks the
 * watched array as collected (the test must have dropped every reference to
 * it, as the real collector would require). Keeps the arrays it watches
 * only weakly, like the real one, and counts what the cache asks of it.
 */
import type { Watcher } from '../../../ts/memory/watcher';

export class FakeWatcher implements Watcher {
  private next = 0;
  private readonly live = new Map<number, WeakRef<ArrayBufferView>>();
  private readonly killed = new Set<number>();
  forgotten = 0;

  watch(array: ArrayBufferView): number {
    const slot = this.next++;
    this.live.set(slot, new WeakRef(array));
    return slot;
  }

  sweep(slots: Int32Array, count: number, dead: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < count; i++) {
      const slot = slots[i];
      if (!this.live.has(slot)) throw new RangeError(`sweep: slot ${slot} is not being watched`);
      dead[i] = this.killed.has(slot) ? 1 : 0;
      if (dead[i] === 1) {
        this.live.delete(slot);
        this.killed.delete(slot);
        n++;
      }
    }
    return n;
  }

  forget(slot: number): void {
    if (!this.live.delete(slot)) throw new RangeError(`forget: slot ${slot} is not being watched`);
    this.killed.delete(slot);
    this.forgotten++;
  }

  /**
   * A "collection" that finds `arrays` dead (the test has let go of them, or
   * pretends so) along with the cache's canary, which nothing holds.
   */
  collect(...arrays: ArrayBufferView[]): void {
    for (const [slot, ref] of this.live) {
      const a = ref.deref();
      if (a === undefined || a.byteLength === 1 || arrays.includes(a)) this.killed.add(slot);
    }
  }

  /** Slots being watched. */
  get watching(): number {
    return this.live.size;
  }
}
