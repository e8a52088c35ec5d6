/**
 * The console's instrumentation of one runtime: per-poll timing, per-task histograms, await
 * tracing, the resource registry and the event lints. It is attached when the console starts
 * and detached when it stops; while detached the runtime pays nothing for it.
 * @module
 */
import { Histogram } from '../runtime/histogram.js';
import { resourceEvents, resourceRegistry } from '../runtime/resources.js';
import { Runtime } from '../runtime/runtime.js';
import { context } from '../runtime/context.js';
import type { Task } from '../runtime/task/task.js';
import type { TaskInfo } from '../runtime/driver.js';
import type { Executor } from '../runtime/scheduler/current_thread/executor.js';
import { NoopProbe, chainProbes, type Probe } from '../runtime/probe.js';
import { setAwaitTracing, traceTurnEnded } from './trace.js';
import { unpolledSampling, unwatchUnpolled, watchUnpolled } from './unpolled.js';
import { formatDuration } from './chain.js';
import { LintStore, blockingMessage, lintConfig, neverYieldedMessage, resourceLints, stateLints, type Lint, type LintConfig, type LintOptions } from './lints.js';

const BUCKETS = 32 * 8 + 1; // the layout of runtime/histogram.ts: 32 octaves of 8 sub-buckets from 1 µs

/** The bucket of `ms` in the Histogram layout (kept in step with runtime/histogram.ts). */
function bucketOf(ms: number): number {
  const us = ms * 1000;
  if (!(us >= 1)) return 0;
  if (us >= 2147483647) return BUCKETS - 1;
  const u = us | 0;
  const e = 31 - Math.clz32(u);
  const sub = e >= 3 ? (u >>> (e - 3)) & 7 : Math.floor(((us - (1 << e)) / (1 << e)) * 8);
  return 1 + e * 8 + sub;
}

/**
 * Per-task figures only the console keeps: poll-time and scheduled-latency histograms in one
 * typed array (recording both costs a few arithmetic operations per poll).
 */
export class TaskExtra {
  /** [0, BUCKETS): poll time; [BUCKETS, 2·BUCKETS): scheduled latency. */
  private readonly counts = new Uint32Array(BUCKETS * 2);
  private n = 0;
  private pollSum = 0;
  private pollMax = 0;
  private pollMin = Infinity;
  private latSum = 0;
  private latMax = 0;
  private latMin = Infinity;

  constructor(
    readonly task: Task<unknown>,
    pollMs: number,
    latMs: number,
  ) {
    this.record(pollMs, latMs);
  }

  record(pollMs: number, latMs: number): void {
    const c = this.counts;
    c[bucketOf(pollMs)]!++;
    c[BUCKETS + bucketOf(latMs)]!++;
    this.n++;
    this.pollSum += pollMs;
    if (pollMs > this.pollMax) this.pollMax = pollMs;
    if (pollMs < this.pollMin) this.pollMin = pollMs;
    this.latSum += latMs;
    if (latMs > this.latMax) this.latMax = latMs;
    if (latMs < this.latMin) this.latMin = latMs;
  }

  /** The task's poll-time histogram. */
  polls(): Histogram {
    return this.toHistogram(0, this.pollSum, this.pollMin, this.pollMax);
  }

  /** The task's scheduled-latency histogram. */
  latencies(): Histogram {
    return this.toHistogram(BUCKETS, this.latSum, this.latMin, this.latMax);
  }

  private toHistogram(off: number, sum: number, min: number, max: number): Histogram {
    const h = new Histogram();
    for (let b = 0; b < BUCKETS; b++) h.counts[b] = this.counts[off + b]!;
    h.count = this.n;
    h.sum = sum;
    h.min = min;
    h.max = max;
    return h;
  }
}

/** How often (in polls) the timing sampling is reconsidered. */
const ADAPT_EVERY_POLLS = 2048;
/** Polls shorter than this on average (ms) are timed one in 16. */
const SAMPLE_BELOW_MS = 0.02;
const SAMPLED_MASK = 15;
/** Polls shorter than this on average (ms) are timed one in 64. */
const TINY_BELOW_MS = 0.005;
const TINY_MASK = 63;
const RECUR_WITHIN_MS = 5000;

const active = new Set<Instrument>();
const channelCounts = new WeakMap<object, { id: number; sends: number }>();
let nextChannelId = 1;

function onSendWithoutReceivers(channel: object, kind: string, label: string): void {
  const rt = Runtime.tryCurrent();
  const own = rt === null ? undefined : instrumentOf(rt);
  let c = channelCounts.get(channel);
  if (c === undefined) {
    c = { id: nextChannelId++, sends: 0 };
    channelCounts.set(channel, c);
  }
  c.sends++;
  if (own !== undefined) own.channelSend(c.id, c.sends, kind, label);
  else for (const i of active) i.channelSend(c.id, c.sends, kind, label);
}

/** The console's probe: per-poll figures and per-drain checks (timed polls only). */
class ConsoleProbe extends NoopProbe {
  constructor(
    private readonly poll: (task: Task<unknown>, slot: number, dt: number, lat: number) => void,
    private readonly drain: (drainMs: number, polls: number, timedMs: number) => void,
  ) {
    super();
  }
  override afterPoll(task: Task<unknown>, slot: number, dt: number, lat: number): void {
    this.poll(task, slot, dt, lat);
  }
  override afterDrain(drainMs: number, polls: number, timedMs: number): void {
    this.drain(drainMs, polls, timedMs);
  }
}

const byRuntime = new WeakMap<Runtime, Instrument>();

/** The instrumentation attached to `rt`, if any. */
export function instrumentOf(rt: Runtime): Instrument | undefined {
  return byRuntime.get(rt);
}

/** @internal Hooks one runtime for the console. */
export class Instrument {
  readonly lints: LintConfig;
  readonly store = new LintStore();
  /** Per-task extras indexed by stats slot (checked against the task: slots are reused). */
  private extras: (TaskExtra | undefined)[] = [];
  private readonly ex: Executor;
  private readonly prevProbe: Probe | null;
  private readonly prevUnhandled: (error: unknown, task: TaskInfo) => void;
  private attached = false;
  /** Polls and drain time since the sampling was last reconsidered. */
  private accPolls = 0;
  private accMs = 0;
  /** When an untimed poll was last seen blocking. */
  private lastUntimedBlock = -Infinity;

  constructor(
    readonly rt: Runtime,
    opts: LintOptions = {},
  ) {
    this.lints = lintConfig(opts);
    this.ex = rt.executor;
    this.prevProbe = this.ex.probe;
    this.prevUnhandled = this.ex.onUnhandledTaskError;
  }

  /** Turns timing, histograms, tracing, resource tracking and lints on for this runtime. */
  attach(): void {
    if (this.attached) return;
    this.attached = true;
    const ex = this.ex;
    byRuntime.set(this.rt, this);
    active.add(this);
    const extras = this.extras;
    const blockingMs = this.lints.blockingPollMs;
    const onPoll = (task: Task<unknown>, slot: number, dt: number, lat: number): void => {
      if (dt < 0) return;
      if (dt > blockingMs) this.slowPoll(task, dt);
      // Finished in this poll (slot released): nothing to keep.
      if (task.slot !== slot || slot < 0) return;
      if (slot < extras.length) {
        const x = extras[slot];
        if (x !== undefined && x.task === task) {
          x.record(dt, lat);
          return;
        }
      } else while (extras.length < slot) extras.push(undefined);
      extras[slot] = new TaskExtra(task, dt, lat);
    };
    ex.timingMask = 0;
    this.accPolls = 0;
    this.accMs = 0;
    const onDrain = (drainMs: number, polls: number, timedMs: number): void => {
      if (ex.timingMask !== 0 && drainMs - timedMs > blockingMs) this.untimedBlock(drainMs - timedMs, polls);
      traceTurnEnded();
      this.accMs += drainMs;
      if ((this.accPolls += polls) >= ADAPT_EVERY_POLLS) this.adaptSampling();
    };
    // Joins a probe already installed (a simulator's) rather than replacing it.
    ex.setProbe(chainProbes(this.prevProbe, new ConsoleProbe(onPoll, onDrain)));
    const prev = this.prevUnhandled;
    ex.onUnhandledTaskError = (error, info) => {
      this.unawaitedFailure(error, info);
      prev(error, info);
    };
    resourceRegistry.enabled = true;
    resourceEvents.sendWithoutReceivers = onSendWithoutReceivers;
    setAwaitTracing(true);
    watchUnpolled(this.rt, this);
  }

  /** Restores the runtime as it was. */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    const ex = this.ex;
    ex.setProbe(this.prevProbe);
    ex.timingMask = 0;
    ex.onUnhandledTaskError = this.prevUnhandled;
    active.delete(this);
    if (byRuntime.get(this.rt) === this) byRuntime.delete(this.rt);
    if (active.size === 0) {
      resourceRegistry.enabled = false;
      resourceEvents.sendWithoutReceivers = null;
    }
    setAwaitTracing(false);
    unwatchUnpolled(this.rt);
    this.extras = [];
  }

  /** @internal A sampled future created at `location` was collected without ever being polled. */
  unpolledFuture(what: string, location: string, taskId: number, taskName: string): void {
    this.store.add(`unpolled-future:${location}`, {
      kind: 'unpolled-future',
      severity: 'warning',
      taskId,
      taskName,
      location,
      message: `a ${what} created at ${location} in task ${taskName} (id ${taskId}) was dropped without ever being polled: a missing yield* (or await)? Futures do nothing until awaited. (Sampled: the console watches one future in ${unpolledSampling.every} created in tasks.)`,
      value: 0,
      at: performance.now(),
    });
  }

  /** The console's extras of a live task. */
  extraOf(task: Task<unknown>): TaskExtra | undefined {
    const slot = task.slot;
    if (slot < 0) return undefined;
    const x = this.extras[slot];
    return x !== undefined && x.task === task ? x : undefined;
  }

  /** Every lint: the state lints of live tasks, then event lints, latest first. */
  allLints(now = performance.now()): Lint[] {
    const out: Lint[] = [];
    const cfg = this.lints;
    this.ex.stats.forEach((t) => stateLints(t, cfg, now, out));
    resourceLints(now, out);
    out.push(...this.store.list());
    return out;
  }

  /**
   * Chooses the timing sampling: every poll while polls average 20 µs or more (a clock read is
   * then under 1 % of a poll), one in 16 below that and one in 64 below 5 µs, where clock reads
   * would dominate the cost of the polls themselves.
   */
  private adaptSampling(): void {
    const mean = this.accMs / this.accPolls;
    this.accPolls = 0;
    this.accMs = 0;
    const ex = this.ex;
    if (mean < TINY_BELOW_MS) ex.timingMask = TINY_MASK;
    else if (mean < SAMPLE_BELOW_MS) ex.timingMask = ex.timingMask === TINY_MASK && mean < 2 * TINY_BELOW_MS ? TINY_MASK : SAMPLED_MASK;
    else if (mean > 2 * SAMPLE_BELOW_MS) ex.timingMask = 0;
  }

  /**
   * Untimed polls blocked. Once is not enough to report (a GC pause or the OS preempting the
   * process looks the same); a second time within a few seconds is. The task is named as soon as
   * one of its blocking polls is among the timed ones (one in 16 while sampling).
   */
  private untimedBlock(ms: number, polls: number): void {
    const now = performance.now();
    const prev = this.lastUntimedBlock;
    this.lastUntimedBlock = now;
    if (ms > this.lints.neverYieldedMs) {
      // Too long for a GC pause or preemption: report at once.
      this.store.add('never-yielded:unsampled', {
        kind: 'never-yielded',
        severity: 'warning',
        taskId: 0,
        taskName: '',
        location: '',
        message: `a poll that was not timed (timing samples 1 in ${this.ex.timingMask + 1} polls while polls are tiny) ran about ${formatDuration(ms)} without yielding, in a turn of ${polls} polls: every other task waited. Split the work with yieldNow or move it to spawnBlocking.`,
        value: ms,
        at: now,
      });
    } else if (now - prev > RECUR_WITHIN_MS) return;
    this.store.add('blocking-poll:unsampled', {
      kind: 'blocking-poll',
      severity: 'warning',
      taskId: 0,
      taskName: '',
      location: '',
      message: `polls that were not timed (timing samples 1 in ${this.ex.timingMask + 1} polls while polls are tiny) blocked the executor for about ${formatDuration(ms)} in a turn of ${polls} polls, again within ${RECUR_WITHIN_MS / 1000} s; the task is named once one of its blocking polls is sampled. Move CPU-heavy or synchronous work to spawnBlocking.`,
      value: ms,
      at: now,
    });
  }

  private slowPoll(task: Task<unknown>, ms: number): void {
    const now = performance.now();
    const loc = task.meta.location;
    this.store.add(`blocking-poll:${task.id}`, {
      kind: 'blocking-poll',
      severity: 'warning',
      taskId: task.id,
      taskName: task.name,
      location: loc,
      message: blockingMessage(task.name, task.id, loc, ms),
      value: ms,
      at: now,
    });
    if (ms > this.lints.neverYieldedMs) {
      this.store.add(`never-yielded:${task.id}`, {
        kind: 'never-yielded',
        severity: 'warning',
        taskId: task.id,
        taskName: task.name,
        location: loc,
        message: neverYieldedMessage(task.name, task.id, loc, ms),
        value: ms,
        at: now,
      });
    }
  }

  private unawaitedFailure(error: unknown, info: TaskInfo): void {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.store.add(`unawaited-failure:${info.id}`, {
      kind: 'unawaited-failure',
      severity: 'error',
      taskId: info.id,
      taskName: info.name,
      location: info.location,
      message: `task ${info.name} (id ${info.id})${info.location ? ` spawned at ${info.location}` : ''} failed (${why}) and nobody awaited its JoinHandle: the error was lost. Await the handle or handle errors inside the task.`,
      value: 0,
      at: performance.now(),
    });
  }

  /** @internal A send into channel `id` after its receivers were all dropped. */
  channelSend(id: number, sends: number, kind: string, label: string): void {
    if (sends < this.lints.channelSendsWithoutReceivers) return;
    const t = context.task as Task<unknown> | null;
    const name = t === null ? '' : t.name;
    this.store.add(`channel-no-receivers:${id}`, {
      kind: 'channel-no-receivers',
      severity: 'warning',
      taskId: t === null ? 0 : t.id,
      taskName: name,
      location: label,
      message: `${kind} channel${label ? ` ${label}` : ''} (#${id}) has no receivers left, yet ${sends} sends were attempted${name ? ` (last by task ${name})` : ''}: the values are dropped. Stop the senders when the receiver goes away (check send errors or closed()).`,
      value: sends,
      at: performance.now(),
    });
  }
}
