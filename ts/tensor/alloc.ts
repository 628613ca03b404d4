/**
 * Where ops get memory. Every op output and temporary comes from the memory
 * cache (ts/memory/), which reuses the memory of dead buffers.
 * Inside an allocation scope (autograd opens one around each backward rule)
 * the buffers are also recorded, so that afterwards every one of them the
 * rule did not return as a gradient can go back to the cache.
 */
import { memoryCache as pool } from '../memory/instance';

export type Scoped = Float32Array | Int32Array | Uint8Array;

let current: Scoped[] | null = null;

export function allocFloat32(n: number): Float32Array {
  const b = pool.takeFloat32(n);
  if (current !== null) current.push(b);
  return b;
}

export function allocInt32(n: number): Int32Array {
  const b = pool.takeInt32(n);
  if (current !== null) current.push(b);
  return b;
}

export function allocUint8(n: number): Uint8Array {
  const b = pool.takeUint8(n);
  if (current !== null) current.push(b);
  return b;
}

/** A zero-filled float buffer (fresh memory is zero already: only a reused one is cleared). */
export function allocZeros(n: number): Float32Array {
  const b = pool.takeZeroedFloat32(n);
  if (current !== null) current.push(b);
  return b;
}

/** A zero-filled int32 buffer. */
export function allocZerosInt32(n: number): Int32Array {
  const b = pool.takeZeroedInt32(n);
  if (current !== null) current.push(b);
  return b;
}

/** Returns a buffer known to be dead to the cache. */
export function release(buffer: Scoped | null | undefined): void {
  if (buffer) pool.give(buffer);
}

/**
 * Starts recording allocations; closeScope(token) stops and returns every
 * buffer allocated in between (the caller returns the dead ones to the pool).
 */
export function openScope(): Scoped[] {
  const mine: Scoped[] = [];
  scopeStack.push(current);
  current = mine;
  return mine;
}

export function closeScope(token: Scoped[]): Scoped[] {
  if (current !== token) throw new Error('dendrite internal error: allocation scopes closed out of order');
  current = scopeStack.pop() ?? null;
  return token;
}

const scopeStack: Array<Scoped[] | null> = [];
