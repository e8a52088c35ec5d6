/**
 * How a thrown value crosses threads: `toWire` turns it into a structured-cloneable record on
 * the thread that caught it, `fromWire` rebuilds it on the thread that awaits the task.
 *
 * Invariants (test/parallel/errors.test.ts):
 * - an error of a registered class (the built-in ones, and kyoto's own, registered by
 *   `src/parallel/error_classes.ts`) comes back as an instance of that class, with its `name`,
 *   `message`, `stack` and `cause` (rebuilt the same way, 8 levels deep at most);
 * - every own enumerable property survives (`code`, `errno`, `path`, `syscall`, custom fields); a
 *   property whose value cannot be cloned arrives as its `String()`;
 * - a thrown non-Error value arrives as the same value (structured clone), or, when it cannot be
 *   cloned (a function, a symbol), as an `Error` whose message says so.
 *
 * Rebuilding does not run the class's constructor (`Reflect.construct(Error, [message], C)`
 * gives a real error object with `C.prototype`): constructors take different arguments and may
 * have side effects. `JoinError`, whose kind is a private field, is the one class rebuilt
 * through its constructor (registered with a reviver).
 * @module
 */

type ErrorClass = abstract new (...args: never[]) => Error;
type Reviver = (message: string, state: unknown, cause: unknown) => Error;

interface Registered {
  readonly C: ErrorClass;
  /** Reads the state the generic rebuild cannot restore (private fields)... */
  readonly save: ((e: Error) => unknown) | null;
  /** ...and builds the error from it. */
  readonly revive: Reviver | null;
}

const classes = new Map<string, Registered>();

/**
 * @internal Lets errors of class `C` keep their class across threads (keyed by `C.name`, so
 * every thread must register the same classes). `save` and `revive` carry state the generic
 * rebuild cannot restore (private fields).
 */
export function registerErrorClass(C: ErrorClass, save: ((e: Error) => unknown) | null = null, revive: Reviver | null = null): void {
  classes.set(C.name, { C, save, revive });
}

for (const C of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError]) registerErrorClass(C);

/** @internal The structured-cloneable form of a thrown value. */
export type WireError =
  | { readonly t: 'value'; readonly v: unknown }
  | {
      readonly t: 'error';
      readonly cls: string;
      readonly name: string;
      /** `name` was an own property (a class field) rather than inherited. */
      readonly ownName: boolean;
      readonly message: string;
      readonly stack: string | undefined;
      readonly props: Record<string, unknown>;
      /** What the class's `save` returned. */
      readonly state: unknown;
      readonly cause?: WireError;
    };

const MAX_DEPTH = 8;

function cloneable(v: unknown): boolean {
  const t = typeof v;
  if (t === 'function' || t === 'symbol') return false;
  if (v === null || t !== 'object') return true;
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
}

function printable(v: unknown): string {
  try {
    return String(v);
  } catch {
    return '<unprintable>';
  }
}

/** @internal Encodes what a task threw. */
export function toWire(e: unknown, depth = 0): WireError {
  if (!(e instanceof Error)) {
    if (cloneable(e)) return { t: 'value', v: e };
    return toWire(new Error(`a task threw a ${typeof e} that cannot be copied to another thread: ${printable(e)}`), depth);
  }
  const props: Record<string, unknown> = {};
  for (const k of Object.keys(e)) {
    if (k === 'name' || k === 'message' || k === 'stack' || k === 'cause') continue;
    const v = (e as unknown as Record<string, unknown>)[k];
    props[k] = cloneable(v) ? v : printable(v);
  }
  const own = Object.getOwnPropertyDescriptor(e, 'cause');
  const r = classes.get(e.constructor.name);
  const exact = r !== undefined && r.C === e.constructor ? r : undefined;
  const w = {
    t: 'error' as const,
    cls: exact !== undefined ? e.constructor.name : nearestClass(e),
    name: printable(e.name),
    ownName: Object.prototype.hasOwnProperty.call(e, 'name'),
    message: printable(e.message),
    stack: typeof e.stack === 'string' ? e.stack : undefined,
    props,
    state: exact?.save?.(e),
  };
  if (own === undefined || depth >= MAX_DEPTH) return w;
  return { ...w, cause: toWire(own.value, depth + 1) };
}

/** The closest registered ancestor class of `e` (a user's subclass of TypeError stays a TypeError). */
function nearestClass(e: Error): string {
  for (let p = Object.getPrototypeOf(e) as { constructor: { name: string } } | null; p !== null; p = Object.getPrototypeOf(p) as typeof p) {
    const r = classes.get(p.constructor.name);
    if (r !== undefined && r.C === p.constructor && r.revive === null) return p.constructor.name;
  }
  return 'Error';
}

/** @internal Rebuilds what `toWire` encoded. */
export function fromWire(w: WireError): unknown {
  if (w.t === 'value') return w.v;
  const cause = w.cause === undefined ? undefined : fromWire(w.cause);
  const reg = classes.get(w.cls) ?? classes.get('Error')!;
  const e = reg.revive !== null ? reg.revive(w.message, w.state, cause) : (Reflect.construct(Error, [w.message], reg.C) as Error);
  Object.defineProperty(e, 'message', { value: w.message, writable: true, configurable: true, enumerable: false });
  if (w.ownName) Object.defineProperty(e, 'name', { value: w.name, writable: true, configurable: true, enumerable: true });
  else if (e.name !== w.name) Object.defineProperty(e, 'name', { value: w.name, writable: true, configurable: true, enumerable: false });
  if (w.stack !== undefined) Object.defineProperty(e, 'stack', { value: w.stack, writable: true, configurable: true, enumerable: false });
  if (cause !== undefined && reg.revive === null) Object.defineProperty(e, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  for (const k of Object.keys(w.props)) {
    Object.defineProperty(e, k, { value: w.props[k], writable: true, configurable: true, enumerable: true });
  }
  return e;
}
