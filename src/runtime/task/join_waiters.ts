/**
 * The wakers awaiting one join handle, shared by `Task` and the worker pool's `RemoteHandle`:
 * one field holds null, the single waker (the common case: no list is allocated) or a list; the
 * Promise bridge for `await handle` is one more waker in it.
 *
 * Invariants (test/core/task.test.ts, test/parallel/parallel.test.ts): a waker that `willWake` one
 * already registered is not added again; completion wakes every registered waker exactly once
 * and leaves the field null; a promise of a finished handle settles without registering.
 * @module
 */
import type { Waker } from '../../future/future.js';
import { WakerBase } from '../../future/waker.js';

/** A handle others can await: its waiter field and its outcome. */
export interface Joinable<T> {
  joiner: Waker | null;
  /** The output, or throws the JoinError; only called once finished. */
  outcome(): T;
  isFinished(): boolean;
}

/** Registers `w` (cloned) as a waiter of `h`, unless an equivalent one is registered. */
export function registerJoiner(h: Joinable<unknown>, w: Waker): void {
  const j = h.joiner;
  if (j === null) h.joiner = w.clone();
  else if (!j.willWake(w)) h.joiner = addJoiner(j, w.clone());
}

/** Wakes every waiter of `h` once and clears the field (at completion). */
export function wakeJoiners(h: Joinable<unknown>): void {
  const j = h.joiner;
  if (j !== null) {
    h.joiner = null;
    j.wake();
  }
}

/** A promise of `h`'s outcome (for `await handle` / `handle.then`). */
export function joinPromise<T>(h: Joinable<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const res = resolve as (v: unknown) => void;
    if (h.isFinished()) settleFrom(h, res, reject);
    else {
      const pj = new PromiseJoiner(h, res, reject);
      h.joiner = h.joiner === null ? pj : addJoiner(h.joiner, pj);
    }
  });
}

/** Several parties awaiting one handle. */
class JoinerList implements Waker {
  constructor(readonly list: Waker[]) {}
  wake(): void {
    for (const w of this.list) w.wake();
  }
  wakeByRef(): void {
    for (const w of this.list) w.wakeByRef();
  }
  clone(): Waker {
    return this;
  }
  willWake(other: Waker): boolean {
    return other === this;
  }
}

function addJoiner(j: Waker, w: Waker): Waker {
  if (j instanceof JoinerList) {
    for (const x of j.list) if (x.willWake(w)) return j;
    j.list.push(w);
    return j;
  }
  return new JoinerList([j, w]);
}

/** Bridges a handle's completion to a Promise. */
class PromiseJoiner extends WakerBase {
  constructor(
    readonly h: Joinable<unknown>,
    readonly resolve: (v: unknown) => void,
    readonly reject: (e: unknown) => void,
  ) {
    super();
  }
  wake(): void {
    settleFrom(this.h, this.resolve, this.reject);
  }
}

function settleFrom(h: Joinable<unknown>, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
  let v: unknown;
  try {
    v = h.outcome();
  } catch (e) {
    reject(e);
    return;
  }
  resolve(v);
}
