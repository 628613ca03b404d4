/**
 * Types of the memory-cache bindings (native/addon/bind_memory.cc): weak
 * references the collector clears synchronously, so the cache learns that a
 * buffer's typed array died even in a loop that never yields.
 */
export interface MemoryBindings {
  /** Holds the typed array `array` weakly; returns its slot. */
  memoryWatch(array: ArrayBufferView): number;
  /** dead[i] = 1 where the object of slots[i] was collected (those slots are freed); returns how many. */
  memorySweep(slots: Int32Array, count: number, dead: Uint8Array): number;
  /** Stops watching a live object. */
  memoryForget(slot: number): void;
}
