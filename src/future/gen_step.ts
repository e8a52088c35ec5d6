/**
 * The one generator-stepping function: resumes a body generator and runs it to its next `yield*`
 * suspension or its end. `Task` (a spawned body) and `GenFuture` (a body awaited inside another
 * task) both drive their generator through it.
 *
 * Invariants (test/core/future.test.ts, test/core/task.test.ts): a generator suspends only on the
 * future that `yield*` handed over through `handoff.yielded` (a bare `yield` of anything else is
 * thrown back into the generator as a TypeError, so its `try/finally` sees it); `handoff.yielded`
 * is null after every step; a generator that throws leaves `handoff.yielded` null too.
 * @module
 */
import { Future, RESUME, handoff } from './future.js';

/** Start the generator (first `next()`). */
export const STEP_START = 0;
/** Resume it with a value (the awaited future's output). */
export const STEP_NEXT = 1;
/** Throw into it (the awaited future threw). */
export const STEP_THROW = 2;
/** Return from it (cancellation: `finally` blocks run). */
export const STEP_RETURN = 3;

/** Where {@link step} leaves the return value when the generator finished. */
export const stepOut = { value: undefined as unknown };

/**
 * Resumes `gen` (`mode`, `input`) and runs it to its next suspension. Returns the future it is
 * suspended on, or null when it finished (its return value is then in `stepOut.value`). Throws
 * what the generator throws. `who` names the body in the error for a bare `yield` (null: "a
 * generator future").
 */
export function step(
  gen: Generator<unknown, unknown, unknown>,
  mode: number,
  input: unknown,
  who: string | null,
): Future<unknown> | null {
  for (;;) {
    let r: IteratorResult<unknown, unknown>;
    try {
      if (mode === STEP_NEXT) {
        handoff.value = input;
        r = gen.next(RESUME);
      } else if (mode === STEP_START) r = gen.next();
      else if (mode === STEP_THROW) r = gen.throw(input);
      else r = gen.return(undefined);
    } catch (e) {
      handoff.yielded = null;
      throw e;
    }
    if (r.done === true) {
      stepOut.value = r.value;
      return null;
    }
    const f = r.value;
    if (f !== handoff.yielded || f === null) {
      mode = STEP_THROW;
      input = new TypeError(`${who === null ? 'a generator future' : `task ${who}`} yielded ${describeYielded(f)}; await futures with yield* (not yield)`);
      continue;
    }
    handoff.yielded = null;
    return f as Future<unknown>;
  }
}

function describeYielded(v: unknown): string {
  if (v instanceof Future) return `a ${v.constructor.name} with a bare yield`;
  if (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') {
    return 'a Promise (wrap it: yield* fromPromise(p))';
  }
  return `a ${v === null ? 'null' : typeof v} value`;
}
