/**
 * Lints: problems the console detects in a running program.
 *
 * Event lints are recorded when something happens (a poll that blocked, a failed task nobody
 * awaited, a send into a channel without receivers) and kept, latest first, in a bounded store.
 * State lints (lost waker, self-wakes) are computed from the live tasks each time they are asked
 * for, so they disappear when the task recovers or finishes.
 * @module
 */
import type { Task } from '../runtime/task/task.js';
import { I_SELF_WAKES, I_WAKES } from '../runtime/task_stats.js';
import { formatDuration } from './chain.js';
import { listResources } from '../runtime/resources.js';

/** The kinds of lint. */
export type LintKind =
  | 'blocking-poll'
  | 'never-yielded'
  | 'lost-waker'
  | 'self-wakes'
  | 'unawaited-failure'
  | 'channel-no-receivers'
  | 'semaphore-oversized-acquire'
  | 'broadcast-lagged'
  | 'unpolled-future';

/** One problem found by the console. */
export interface Lint {
  kind: LintKind;
  /** 'error' for what hangs or loses work (lost waker, unawaited failure); else 'warning'. */
  severity: 'warning' | 'error';
  /** The task concerned (0 for a channel lint). */
  taskId: number;
  taskName: string;
  /** Spawn location of the task ('' when unknown), or the channel's label. */
  location: string;
  /** A sentence saying what happened and what to do. */
  message: string;
  /** The measured figure: a duration (ms), a percentage or a count. */
  value: number;
  /** How many times it happened (event lints). */
  count: number;
  /** performance.now() when it was last seen. */
  at: number;
}

/** Thresholds of the lints. */
export interface LintOptions {
  /** A poll longer than this (ms) is a blocking poll. Default 10. */
  blockingPollMs?: number;
  /** A poll longer than this (ms) never yielded. Default 1000. */
  neverYieldedMs?: number;
  /** Self-wakes above this share of wakes (0..1) are flagged. Default 0.5. */
  selfWakeRatio?: number;
  /** Wakes a task needs before the self-wake ratio counts. Default 4. */
  selfWakeMinWakes?: number;
  /** Sends into a channel without receivers before it is flagged. Default 2. */
  channelSendsWithoutReceivers?: number;
}

/** Lint thresholds with defaults filled in. */
export type LintConfig = Required<LintOptions>;

/** Fills in defaults and validates thresholds. */
export function lintConfig(o: LintOptions = {}): LintConfig {
  const c: LintConfig = {
    blockingPollMs: o.blockingPollMs ?? 10,
    neverYieldedMs: o.neverYieldedMs ?? 1000,
    selfWakeRatio: o.selfWakeRatio ?? 0.5,
    selfWakeMinWakes: o.selfWakeMinWakes ?? 4,
    channelSendsWithoutReceivers: o.channelSendsWithoutReceivers ?? 2,
  };
  for (const [k, v] of Object.entries(c)) {
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      throw new RangeError(`console lint option ${k} must be a finite number >= 0, got ${String(v)}`);
    }
  }
  if (c.selfWakeRatio > 1) throw new RangeError(`console lint option selfWakeRatio must be <= 1, got ${c.selfWakeRatio}`);
  return c;
}

const MAX_EVENTS = 256;

/** @internal Event lints, keyed by kind and subject, oldest evicted first. */
export class LintStore {
  private readonly events = new Map<string, Lint>();

  /** Records (or counts again) an event lint. */
  add(key: string, lint: Omit<Lint, 'count'>): Lint {
    const old = this.events.get(key);
    if (old !== undefined) {
      this.events.delete(key);
      old.count++;
      old.value = Math.max(old.value, lint.value);
      old.message = lint.message;
      old.at = lint.at;
      this.events.set(key, old);
      return old;
    }
    const l: Lint = { ...lint, count: 1 };
    this.events.set(key, l);
    if (this.events.size > MAX_EVENTS) {
      const first = this.events.keys().next();
      if (first.done !== true) this.events.delete(first.value);
    }
    return l;
  }

  /** Event lints, latest first. */
  list(): Lint[] {
    return [...this.events.values()].reverse();
  }

  clear(): void {
    this.events.clear();
  }
}

/** The state lints of one live task (lost waker, self-wakes), appended to `out`. */
export function stateLints(task: Task<unknown>, cfg: LintConfig, now: number, out: Lint[]): void {
  if (task.isFinished() || task.slot < 0) return;
  if (task.hasLostWaker()) {
    out.push({
      kind: 'lost-waker',
      severity: 'error',
      taskId: task.id,
      taskName: task.name,
      location: task.meta.location,
      message: `task ${task.name} (id ${task.id}) returned Pending without reading or cloning its waker: nothing can wake it. The future it awaits must store cx.waker before returning Pending.`,
      value: 0,
      count: 1,
      at: now,
    });
  }
  const stats = task.rt.stats;
  const wakes = stats.i(task.slot, I_WAKES);
  if (wakes >= cfg.selfWakeMinWakes && wakes > 0) {
    const self = stats.i(task.slot, I_SELF_WAKES);
    const ratio = self / wakes;
    if (ratio > cfg.selfWakeRatio) {
      out.push({
        kind: 'self-wakes',
        severity: 'warning',
        taskId: task.id,
        taskName: task.name,
        location: task.meta.location,
        message: `task ${task.name} (id ${task.id}) woke itself in ${Math.round(ratio * 100)}% of its ${wakes} wakes: it may be busy-polling (waking itself instead of waiting for an event).`,
        value: Math.round(ratio * 100),
        count: 1,
        at: now,
      });
    }
  }
}

/**
 * The lints resources report about their own state (a semaphore waiter asking for more permits
 * than exist, a broadcast channel whose receivers lagged), appended to `out`. Resources are
 * listed only while the console tracks them.
 */
export function resourceLints(now: number, out: Lint[]): void {
  for (const r of listResources()) {
    const ps = r.problems;
    if (ps === undefined) continue;
    for (const p of ps) {
      out.push({
        kind: p.kind as LintKind,
        severity: p.severity,
        taskId: 0,
        taskName: '',
        location: r.label,
        message: p.message,
        value: p.value,
        count: p.count,
        at: now,
      });
    }
  }
}

/** The blocking-poll lint text. */
export function blockingMessage(name: string, id: number, location: string, ms: number): string {
  const where = location ? ` (spawned at ${location})` : '';
  return `task ${name} (id ${id})${where} blocked the executor for ${formatDuration(ms)} in one poll; move CPU-heavy or synchronous work to spawnBlocking (or yield with yieldNow between chunks).`;
}

/** The never-yielded lint text. */
export function neverYieldedMessage(name: string, id: number, location: string, ms: number): string {
  const where = location ? ` (spawned at ${location})` : '';
  return `task ${name} (id ${id})${where} ran ${formatDuration(ms)} without yielding: every other task waited. Split the work with yieldNow or move it to spawnBlocking.`;
}
