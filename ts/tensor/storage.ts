/**
 * The memory behind one or more tensors (views such as reshape share it).
 *
 * `pinned` marks memory that user code may reach directly (through `.data`,
 * `detach()`, a leaf tensor, or a typed array the user gave): it is never
 * returned to the pool. `released` marks memory autograd has returned to the
 * pool (backward with { freeActivations: true }); any later read throws.
 */
import type { TypedData } from './dtype';

export class Storage {
  released = false;
  constructor(
    public data: TypedData,
    public pinned: boolean,
  ) {}
}
