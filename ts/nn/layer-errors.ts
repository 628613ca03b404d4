/**
 * Errors that name the layer they come from. Module.call() keeps the chain
 * of modules being called; an error escaping a submodule's forward is
 * rethrown once, by the innermost call() it reaches, with the submodule's
 * dotted path within the module the user called and its class in front:
 *   `0.2 (Linear): linear: input of shape [4, 5] …`
 * The new error has the same class, the same stack frames, the original as
 * its `cause` and the original's own fields. The path is only worked out
 * when an error happens; the normal path costs a push and a pop.
 */
import type { AnyModule } from './module';

/** The modules whose call() is running, outermost first. */
const calling: AnyModule[] = [];
/** Errors that already carry a layer's name (or were judged to need none). */
const named = new WeakSet<object>();

export function enterCall(m: AnyModule): void {
  calling.push(m);
}

export function leaveCall(): void {
  calling.pop();
}

/** `child`'s dotted name below `parent`, or null if it is not in parent's tree. */
function nameWithin(parent: AnyModule, child: AnyModule): string | null {
  for (const [name, m] of parent.namedModules()) if (m === child && name !== '') return name;
  return null;
}

/** The innermost running module's path from the outermost module of its tree that is being called. */
function innermostPath(): string {
  const segments: string[] = [];
  for (let k = calling.length - 1; k > 0; k--) {
    const name = nameWithin(calling[k - 1], calling[k]);
    if (name === null) break; // the module was called by code of a module it does not belong to: its tree starts here
    segments.unshift(name);
  }
  return segments.join('.');
}

/** The same error with `message`, keeping its class, stack frames and fields, the original as cause. */
function withMessage(err: Error, message: string): Error {
  const Ctor = err.constructor as new (message?: string, options?: ErrorOptions) => Error;
  let out: Error | null = null;
  try {
    const e = new Ctor(message, { cause: err });
    if (e instanceof Ctor && e.message === message) out = e;
  } catch {
    // A constructor with another signature: built below without calling it.
  }
  if (out === null) {
    out = Object.create(Object.getPrototypeOf(err)) as Error;
    Object.defineProperty(out, 'message', { value: message, writable: true, configurable: true });
  }
  if (out.cause !== err) Object.defineProperty(out, 'cause', { value: err, writable: true, configurable: true });
  for (const key of Object.keys(err)) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) (out as unknown as Record<string, unknown>)[key] = (err as unknown as Record<string, unknown>)[key];
  }
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  out.stack = [`${out.name}: ${message}`, ...frames].join('\n');
  return out;
}

/**
 * What the innermost call() rethrows for `err`: prefixed with the running
 * submodule's path and class the first time, as it is afterwards.
 */
export function nameLayer(err: unknown): unknown {
  if (!(err instanceof Error) || named.has(err)) return err;
  const path = innermostPath();
  if (path === '') {
    named.add(err); // thrown by the called module itself: its own message says enough
    return err;
  }
  const module = calling[calling.length - 1];
  const out = withMessage(err, `${path} (${module.constructor.name}): ${err.message}`);
  named.add(out);
  return out;
}
