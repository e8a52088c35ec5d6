/**
 * Where kyoto/http sends errors nobody can catch (a handler's throw, a response that cannot be
 * serialized): the runtime's `onUnhandledTaskError`, with the request task's id and name.
 * One function so the policy lives in one place (test/http/server.test.ts proves the hook sees
 * a handler's error under `serve`, test/http/node_handler.test.ts under `toNodeHandler`).
 * @module
 */
import type { Runtime } from '../runtime/runtime.js';
import { IoError } from '../io/error.js';
import { reportLostError } from '../task/cancel_hold.js';
import { JoinError } from '../task/join_error.js';

/** @internal reports `err` of task `h` (on `rt` when called from outside the runtime). */
export function reportHandlerError(err: unknown, h: { id: number; name: string }, rt?: Runtime): void {
  const info = { id: h.id, name: h.name, location: '' };
  if (rt === undefined) {
    reportLostError(err, info);
    return;
  }
  try {
    rt.executor.onUnhandledTaskError(err, info);
  } catch (e) {
    console.error('kyoto: onUnhandledTaskError threw:', e);
  }
}

/** @internal a response write failed: reported unless it is the connection's own I/O error. */
export function reportWriteError(err: unknown, h: { id: number; name: string }): void {
  if (!(err instanceof IoError)) reportHandlerError(err, h);
}

/** @internal What a request task failed with: a panic's own error, else the JoinError itself. */
export function failureCause(e: unknown): unknown {
  return e instanceof JoinError && e.isPanic() ? e.cause : e;
}

/**
 * @internal The status of a request error a handler let through (400, 413 or 431, from reading
 * the body), or 0 for anything else (a 500).
 */
export function requestErrorStatus(cause: unknown): number {
  const status = (cause as { status?: unknown } | null)?.status;
  return status === 400 || status === 413 || status === 431 ? status : 0;
}
