/** Errors across threads: what a worker sends, and the Error the caller gets, with the worker's stack. */

export interface ErrorMessage {
  name: string;
  message: string;
  stack?: string;
}

export function errorToMessage(e: unknown): ErrorMessage {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

const CONSTRUCTORS: Record<string, new (message: string) => Error> = { TypeError, RangeError, SyntaxError };

/** The worker's error as an Error of the same kind; its stack is the worker's, under a line saying where it ran. */
export function errorFromMessage(m: ErrorMessage, where: string): Error {
  const Ctor = CONSTRUCTORS[m.name] ?? Error;
  const err = new Ctor(m.message);
  if (!(m.name in CONSTRUCTORS) && m.name !== 'Error') err.name = m.name;
  err.stack = `${m.stack ?? `${err.name}: ${m.message}`}\n    (thrown in ${where})`;
  return err;
}
