/**
 * The buffers the cache handed out and watches: for each, a weak reference
 * to the typed array handed out and a strong one to its ArrayBuffer. When
 * the typed array has been collected, only this set reaches the memory.
 *
 * Collections are counted in epochs: a canary (a watched array nothing
 * holds) dies in the first collection after it is made, so finding it dead
 * means at least one collection ran since. Only then can anything watched
 * have died, so the set is swept once per epoch, not once per request.
 *
 * When the cache is short of room, a buffer still alive LONG_LIVED_EPOCHS
 * epochs after it was handed out is let go: it has outlived two
 * collections, so it is long-lived (a parameter, a data set) or dead in
 * V8's old generation, where only a major collection finds it.
 */
import type { Watcher } from './watcher';

export interface Watched<K> {
  slot: number;
  buffer: ArrayBuffer;
  kind: K;
  length: number;
  bytes: number;
  /** The epoch it was handed out in. */
  epoch: number;
}

export const LONG_LIVED_EPOCHS = 3;

export class WatchedSet<K> {
  /** Bytes and buffers watched. */
  bytes = 0;
  count = 0;
  /** Collections seen (see above). */
  epoch = 0;
  private readonly lists = new Map<K, Map<number, Array<Watched<K>>>>();
  private byBuffer = new WeakMap<ArrayBufferLike, Watched<K>>();
  private canarySlot = -1;
  private slots = new Int32Array(64);
  private dead = new Uint8Array(64);

  constructor(private readonly watcher: Watcher) {}

  /** Watches `array` (of `kind`, `length` elements, `bytes` bytes). */
  add(kind: K, array: ArrayBufferView, length: number, bytes: number): void {
    const e: Watched<K> = { slot: this.watcher.watch(array), buffer: array.buffer as ArrayBuffer, kind, length, bytes, epoch: this.epoch };
    let byLength = this.lists.get(kind);
    if (byLength === undefined) this.lists.set(kind, (byLength = new Map()));
    let list = byLength.get(length);
    if (list === undefined) byLength.set(length, (list = []));
    list.push(e);
    this.byBuffer.set(e.buffer, e);
    this.bytes += bytes;
    this.count++;
  }

  /** Whether any buffer of this kind and length is watched. */
  has(kind: K, length: number): boolean {
    return this.lists.get(kind)?.has(length) ?? false;
  }

  /** Stops watching `buffer` (returned as dead by its owner, or exposed to user code); whether it was watched. */
  remove(buffer: ArrayBufferLike): boolean {
    const e = this.byBuffer.get(buffer);
    if (e === undefined) return false;
    this.watcher.forget(e.slot);
    const byLength = this.lists.get(e.kind)!;
    const list = byLength.get(e.length)!;
    list[list.indexOf(e)] = list[list.length - 1];
    list.pop();
    if (list.length === 0) byLength.delete(e.length);
    this.dropped(e);
    return true;
  }

  /**
   * Looks whether a collection ran since the last look (one weak-reference
   * check); if one did, sweeps everything: each collected buffer is passed
   * to `onDead` (and no longer watched). Returns whether the epoch advanced.
   */
  poll(onDead: (e: Watched<K>) => void): boolean {
    if (this.canarySlot >= 0) {
      this.slots[0] = this.canarySlot;
      if (this.watcher.sweep(this.slots, 1, this.dead) === 0) return false;
      this.epoch++;
    }
    this.canarySlot = this.watcher.watch(new Uint8Array(1));
    this.sweepAll(onDead, false);
    return true;
  }

  /** Sweeps everything now, and lets go of the long-lived (the cache is short of room). */
  age(onDead: (e: Watched<K>) => void): void {
    this.sweepAll(onDead, true);
  }

  /** Stops watching everything. */
  clear(): void {
    for (const byLength of this.lists.values()) for (const list of byLength.values()) for (const e of list) this.watcher.forget(e.slot);
    this.lists.clear();
    if (this.canarySlot >= 0) this.watcher.forget(this.canarySlot);
    this.canarySlot = -1;
    this.byBuffer = new WeakMap();
    this.bytes = 0;
    this.count = 0;
  }

  private sweepAll(onDead: (e: Watched<K>) => void, age: boolean): void {
    for (const byLength of this.lists.values()) {
      for (const [length, list] of byLength) {
        this.sweep(list, onDead, age);
        if (list.length === 0) byLength.delete(length);
      }
    }
  }

  private sweep(list: Array<Watched<K>>, onDead: (e: Watched<K>) => void, age: boolean): void {
    const count = list.length;
    if (this.slots.length < count) {
      this.slots = new Int32Array(count * 2);
      this.dead = new Uint8Array(count * 2);
    }
    for (let i = 0; i < count; i++) this.slots[i] = list[i].slot;
    this.watcher.sweep(this.slots, count, this.dead);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const e = list[i];
      if (this.dead[i] === 1) {
        this.dropped(e);
        onDead(e);
      } else if (age && this.epoch - e.epoch >= LONG_LIVED_EPOCHS) {
        this.watcher.forget(e.slot);
        this.dropped(e);
      } else {
        list[kept++] = e;
      }
    }
    list.length = kept;
  }

  private dropped(e: Watched<K>): void {
    this.byBuffer.delete(e.buffer);
    this.bytes -= e.bytes;
    this.count--;
  }
}
