/**
 * How the cache learns that a buffer it handed out is dead: a weak reference
 * to the typed array it handed out, polled when the cache wants memory.
 *
 * JavaScript's own tools do not work inside a loop that never yields: a
 * FinalizationRegistry calls back only from the event loop, and a WeakRef
 * keeps its target alive until the current job ends. Node-API weak
 * references are cleared by the garbage collector itself, so the addon
 * provides them (native/addon/bind_memory.cc).
 */
import type { MemoryBindings } from '../bindings/memory';
import { native } from '../native';

/** Weak references by slot number. */
export interface Watcher {
  /** Holds `array` weakly; returns its slot. */
  watch(array: ArrayBufferView): number;
  /** dead[i] = 1 where slots[i]'s array was collected (those slots are freed); returns how many. */
  sweep(slots: Int32Array, count: number, dead: Uint8Array): number;
  /** Stops watching a live array. */
  forget(slot: number): void;
}

function fromBindings(b: MemoryBindings): Watcher {
  return {
    watch: (array) => b.memoryWatch(array),
    sweep: (slots, count, dead) => b.memorySweep(slots, count, dead),
    forget: (slot) => b.memoryForget(slot),
  };
}

/**
 * The addon's weak references, or null when the addon cannot be loaded (or
 * predates them): then only buffers autograd returns are reused.
 */
export function nativeWatcher(): Watcher | null {
  try {
    const addon = native();
    return typeof addon.memoryWatch === 'function' ? fromBindings(addon) : null;
  } catch {
    return null;
  }
}
