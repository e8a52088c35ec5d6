/**
 * Turns what `spawn(body, ...args)` was given into a task body: a generator (the usual case), a
 * future, or a promise-returning function bridged to a future with an AbortSignal.
 * @module
 */
import { Future, type Gen } from '../future/future.js';
import { fromPromise } from '../future/promise.js';
import { ready } from '../future/helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const GeneratorFunctionProto = Object.getPrototypeOf(function* () {}) as object;
const AsyncGeneratorFunctionProto = Object.getPrototypeOf(async function* () {}) as object;
const GeneratorObjectProto = (GeneratorFunctionProto as { prototype: object }).prototype;

/** True for a generator object. */
export function isGenerator(x: unknown): x is Generator<unknown, unknown, unknown> {
  return x !== null && typeof x === 'object' && GeneratorObjectProto.isPrototypeOf(x);
}

/** A body kyoto can spawn. */
export type SpawnBody = ((...args: any[]) => unknown) | Future<unknown>;

/** The generator-or-function form accepted by every spawn. */
export type AnyFn = (...args: any[]) => any;
/** The output type of a spawn body. */
export type BodyOutput<B> = B extends Future<infer T>
  ? T
  : B extends (...args: never[]) => Generator<unknown, infer R, unknown>
    ? R
    : B extends (...args: never[]) => PromiseLike<infer P>
      ? P
      : B extends (...args: never[]) => Future<infer F>
        ? F
        : B extends (...args: never[]) => infer V
          ? V
          : never;
/** The arguments a spawn body takes (a promise function's trailing AbortSignal excluded). */
export type BodyArgs<B> = B extends Future<unknown>
  ? []
  : B extends (...args: infer A) => Generator<unknown, unknown, unknown>
    ? A
    : B extends (...args: [...infer A, AbortSignal]) => unknown
      ? A
      : B extends (...args: infer A) => unknown
        ? A
        : never;

/**
 * Thrown for a spawn argument kyoto cannot run (not a generator function, async function or
 * future; or an async generator function).
 *
 * @example
 * ```ts
 * rt.spawn(42 as never); // throws SpawnError: spawn expects a generator function, ...
 * ```
 */
export class SpawnError extends TypeError {
  override name = 'SpawnError';
}

/** Result of preparing a body. */
export interface PreparedBody {
  /** Null once taken (the scratch object keeps no body alive). */
  body: Generator<unknown, unknown, unknown> | Future<unknown> | null;
  /** True when `body` is a future to poll rather than a generator to resume. */
  futureBody: boolean;
}

const scratch: PreparedBody = { body: null, futureBody: false };

/** Throws `SpawnError` at spawn time for a body kyoto cannot run. */
export function checkBody(body: unknown): void {
  if (typeof body === 'function') {
    if (Object.getPrototypeOf(body) === AsyncGeneratorFunctionProto) {
      throw new SpawnError(
        `spawn(${(body as { name: string }).name || 'anonymous'}): async generator functions are not task bodies; use a generator function (function*) or an async function`,
      );
    }
    return;
  }
  if (body instanceof Future) return;
  throw new SpawnError(
    `spawn expects a generator function, an async function or a Future, got ${body === null ? 'null' : typeof body}`,
  );
}

/**
 * Prepares `body(...args)` (already accepted by `checkBody` at spawn). Returns a shared scratch
 * object (read it at once). A body that throws synchronously becomes a task that fails with that
 * error, as an async function would.
 */
export function prepareBody(body: unknown, args: unknown, one: boolean): PreparedBody {
  const out = scratch;
  if (typeof body === 'function') {
    const proto = Object.getPrototypeOf(body) as object;
    if (proto === GeneratorFunctionProto) {
      out.futureBody = false;
      try {
        out.body = one
          ? (body as (a: unknown) => Gen<unknown>)(args)
          : (body as (...a: unknown[]) => Gen<unknown>)(...(args as unknown[]));
      } catch (e) {
        out.body = failed(e);
        out.futureBody = true;
      }
      return out;
    }
    return preparePromiseFn(out, body as (...a: unknown[]) => unknown, one ? [args] : (args as unknown[]));
  }
  if (body instanceof Future) {
    out.body = body;
    out.futureBody = true;
    return out;
  }
  throw new SpawnError(
    `spawn expects a generator function, an async function or a Future, got ${body === null ? 'null' : typeof body}`,
  );
}

function preparePromiseFn(out: PreparedBody, fn: (...a: unknown[]) => unknown, args: readonly unknown[]): PreparedBody {
  const ctrl = new AbortController();
  let res: unknown;
  try {
    res = fn(...args, ctrl.signal);
  } catch (e) {
    out.body = failed(e);
    out.futureBody = true;
    return out;
  }
  if (res instanceof Future) {
    out.body = res;
    out.futureBody = true;
  } else if (isGenerator(res)) {
    out.body = res;
    out.futureBody = false;
  } else if (res !== null && typeof res === 'object' && typeof (res as PromiseLike<unknown>).then === 'function') {
    out.body = promiseTask(res as PromiseLike<unknown>, ctrl);
    out.futureBody = false;
  } else {
    out.body = ready(res);
    out.futureBody = true;
  }
  return out;
}

/**
 * The body of a task that runs a promise-returning function: waits for the promise; if the task
 * is aborted, sets the AbortSignal and waits for the promise to settle (its cleanup) first.
 */
function* promiseTask(p: PromiseLike<unknown>, ctrl: AbortController): Gen<unknown> {
  let settled = false;
  try {
    const v = yield* fromPromise(p);
    settled = true;
    return v;
  } catch (e) {
    settled = true;
    throw e;
  } finally {
    if (!settled) {
      ctrl.abort();
      try {
        yield* fromPromise(p);
      } catch {
        // The cancelled function's own rejection is expected (AbortError); the task is cancelled.
      }
    }
  }
}

class Failed extends Future<never> {
  constructor(readonly error: unknown) {
    super();
  }
  poll(): never {
    throw this.error;
  }
}

function failed(e: unknown): Future<never> {
  return new Failed(e);
}
