/** The process-wide tensor-memory cache (per worker thread: each loads its own copy of this module). */
import { MemoryCache } from './cache';

export const memoryCache = new MemoryCache();
