/**
 * Await tracing: where each `yield*` that suspended a task sits in the source.
 *
 * When tracing is on, the core calls `handoff.trace(fut, cx)` each time a future suspends a task
 * through `yield*`, while the generator frames that awaited it are still on the stack. kyoto
 * captures the stack there (raw frames only: formatting happens later, if a dump asks) and keeps
 * it beside the future in a WeakMap, so a dump can show, for each future in a task's await
 * chain, the generator functions and lines of the `yield*` expressions that led to it.
 *
 * Capturing costs about two microseconds, so it is budgeted: at most {@link TRACE_BURST}
 * captures at once, refilled at {@link TRACE_RATE_PER_MS} per millisecond. Programs that suspend
 * slower than that (a server, a stuck task) get every suspension traced; a hot loop suspending
 * millions of times a second gets a sample, and the futures it missed show their class names
 * without lines or wait times.
 * @module
 */
import { Future, handoff, type Context } from '../future/future.js';
import { Task } from '../runtime/task/task.js';
import { isKyotoPath, plainLocation, sourceLocation } from '../runtime/location.js';

/** Captures that may be taken back to back. */
export const TRACE_BURST = 200;
/** Captures allowed per millisecond on average (≈ 0.4 % of one core at ~2 µs each). */
export const TRACE_RATE_PER_MS = 2;

/** One stack frame of a `yield*` site. */
export interface AwaitFrame {
  /** The generator function (or method) executing the `yield*`. */
  fn: string;
  /** `file:line:col` of the `yield*`. */
  location: string;
}

/** What was recorded when a future suspended a task. */
export class AwaitRecord {
  /** Frames, innermost first, formatted on first use. */
  private framesCache: AwaitFrame[] | null = null;
  constructor(
    /** performance.now() when the future first suspended its task. */
    readonly since: number,
    private readonly holder: { stack?: string } | null,
  ) {}

  /** The user frames that awaited the future, innermost first ([] when not sampled). */
  frames(): AwaitFrame[] {
    if (this.framesCache === null) this.framesCache = this.holder === null ? [] : parseFrames(this.holder.stack ?? '');
    return this.framesCache;
  }
}

const records = new WeakMap<Future<unknown>, AwaitRecord>();
let tokens = TRACE_BURST;
let lastRefill = 0;
let users = 0;

/** Frames inside kyoto's own sources are not user frames. */

function clockOf(cx: Context): number {
  // A task's runtime caches the clock during a drain: no clock read per suspension.
  return cx instanceof Task ? cx.rt.clock() : performance.now();
}

/** Executor turns seen (advanced by the console after each drain), and the turn last refilled in. */
let turn = 0;
let refilledTurn = -1;

/** @internal Called by the console at the end of each executor turn. */
export function traceTurnEnded(): void {
  turn++;
}

function traceHook(fut: Future<unknown>, cx: Context): void {
  if (tokens < 1) {
    // Over budget: refill at most once per executor turn (one clock read per turn, not per await).
    if (refilledTurn === turn) return;
    refilledTurn = turn;
    const t = clockOf(cx);
    tokens = Math.min(TRACE_BURST, tokens + (t - lastRefill) * TRACE_RATE_PER_MS);
    lastRefill = t;
    // Over budget: this suspension is not recorded (its future shows no line nor wait time).
    if (tokens < 1) return;
  }
  tokens--;
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 24;
  Error.captureStackTrace(holder, Future.prototype.next);
  Error.stackTraceLimit = limit;
  records.set(fut, new AwaitRecord(clockOf(cx), holder));
}

/**
 * Turns await tracing on (reference-counted: each console that starts takes one reference and
 * gives it back when it stops). Dumps taken while tracing is on show source lines.
 *
 * @example
 * ```ts
 * setAwaitTracing(true);
 * // ... later
 * console.log(rt.dump());
 * ```
 */
export function setAwaitTracing(on: boolean): void {
  users = Math.max(0, users + (on ? 1 : -1));
  handoff.trace = users > 0 ? traceHook : null;
  if (users > 0) lastRefill = performance.now();
}

/**
 * True while await tracing is on (a console is running, or `setAwaitTracing(true)` was called).
 *
 * @example
 * ```ts
 * if (!awaitTracingEnabled()) console.warn('dumps will show no source lines');
 * ```
 */
export function awaitTracingEnabled(): boolean {
  return handoff.trace !== null;
}

/** The record of when and where `fut` suspended its task, if it was traced. */
export function awaitRecordOf(fut: Future<unknown>): AwaitRecord | undefined {
  return records.get(fut);
}

const FRAME_RE = /^\s*at (?:async )?(.*?) \((.*)\)$|^\s*at (?:async )?(.*)$/;

/**
 * Parses V8 stack lines into the user frames of one `yield*` site: innermost first, up to the
 * first kyoto frame after them (the frames beyond it belong to the futures further up the chain,
 * which have records of their own). Node's frames and native `gen.next` frames are skipped.
 */
export function parseFrames(stack: string): AwaitFrame[] {
  const out: AwaitFrame[] = [];
  const lines = stack.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = FRAME_RE.exec(lines[i]!);
    if (m === null) continue;
    const fn = m[1] ?? '';
    let where = m[2] ?? m[3] ?? '';
    if (where === '<anonymous>' || where.startsWith('node:') || where.startsWith('native')) continue;
    where = plainLocation(where);
    if (isKyotoPath(where)) {
      if (out.length > 0) break;
      continue;
    }
    where = sourceLocation(where);
    out.push({ fn: cleanFnName(fn), location: where });
  }
  return out;
}

function cleanFnName(fn: string): string {
  if (fn === '') return '<anonymous>';
  // "Object.next", "Generator.next" never reach here (native); strip "Object." from plain functions.
  return fn.startsWith('Object.') ? fn.slice(7) : fn;
}
