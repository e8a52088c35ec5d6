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

/**
 * How {@link step} resumes the generator. A `const enum`: tsc writes the numbers at each use, so
 * `step` stays small enough for V8 to inline it, and the future polls it resumes after it, into
 * `Task.run` (BENCHMARKS.md, "Regression hunt, 2026-12-02").
 */
export const enum StepMode {
  /** Start the generator (first `next()`). */
  START = 0,
  /** Resume it with a value (the awaited future's output). */
  NEXT = 1,
  /** Throw into it (the awaited future threw). */
  THROW = 2,
  /** Return from it (cancellation: `finally` blocks run). */
  RETURN = 3,
}

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
  mode: StepMode,
  input: unknown,
  who: string | null,
): Future<unknown> | null {
  for (;;) {
    let r: IteratorResult<unknown, unknown>;
    try {
      if (mode === StepMode.NEXT) {
        handoff.value = input;
        r = gen.next(RESUME);
      } else if (mode === StepMode.START) r = gen.next();
      else if (mode === StepMode.THROW) r = gen.throw(input);
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
      mode = StepMode.THROW;
      input = bareYieldError(who, f);
      continue;
    }
    handoff.yielded = null;
    return f as Future<unknown>;
  }
}

/** The TypeError thrown into a body that used a bare `yield` (out of `step`: it is never hot). */
function bareYieldError(who: string | null, f: unknown): TypeError {
  return new TypeError(`${who === null ? 'a generator future' : `task ${who}`} yielded ${describeYielded(f)}; await futures with yield* (not yield)`);
}

function describeYielded(v: unknown): string {
  if (v instanceof Future) return `a ${v.constructor.name} with a bare yield`;
  if (v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') {
    return 'a Promise (wrap it: yield* fromPromise(p))';
  }
  return `a ${v === null ? 'null' : typeof v} value`;
}
