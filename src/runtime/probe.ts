/**
 * `Probe`: the instrumentation a scheduler calls, installed by the console and by `timing: true`
 * (and by a simulator recording a trace). With no probe installed the executor runs its untimed
 * loop, which reads no clock and makes no call per poll; the loop is chosen once per drain.
 *
 * Invariants (test/core/scheduler_seams.test.ts, test/core/probe_chain.test.ts): `onSpawn` precedes the task's first `beforePoll`;
 * `beforePoll`/`afterPoll` bracket every poll while the probe is installed; `onWake` is called
 * once per wake that changed something (a task already queued or finished is not woken again);
 * `onComplete` is called once per task, after its joiners were woken; a chain (`chainProbes`)
 * calls each hook of both probes, first then second (test/core/probe_chain.test.ts).
 * @module
 */
import type { Task } from './task/task.js';

/** Hooks a scheduler calls (all required: extend {@link NoopProbe} to implement a few). */
export interface Probe {
  /** A task was spawned (it is queued next). */
  onSpawn(task: Task<unknown>): void;
  /** A wake that queued the task (or asked a running task to run again). */
  onWake(task: Task<unknown>): void;
  /** A poll is about to start. */
  beforePoll(task: Task<unknown>): void;
  /**
   * A poll ended. `slot` is the task's stats slot before the poll (it is -1 after a poll that
   * finished it). `pollMs` and `latencyMs` (queued-to-polled) are -1 for a poll the sampling
   * (`Executor.timingMask`) did not time.
   */
  afterPoll(task: Task<unknown>, slot: number, pollMs: number, latencyMs: number): void;
  /** A drain ended: its duration, its polls and the time spent in timed polls (ms). */
  afterDrain(drainMs: number, polls: number, timedMs: number): void;
  /** A task finished (any outcome). */
  onComplete(task: Task<unknown>): void;
}

/**
 * A probe that does nothing; extend it and override the hooks you need.
 *
 * @example
 * ```ts
 * class PollCounter extends NoopProbe { polls = 0; override beforePoll(): void { this.polls++; } }
 * rt.executor.setProbe(new PollCounter());
 * ```
 */
export class NoopProbe implements Probe {
  onSpawn(_task: Task<unknown>): void {}
  onWake(_task: Task<unknown>): void {}
  beforePoll(_task: Task<unknown>): void {}
  afterPoll(_task: Task<unknown>, _slot: number, _pollMs: number, _latencyMs: number): void {}
  afterDrain(_drainMs: number, _polls: number, _timedMs: number): void {}
  onComplete(_task: Task<unknown>): void {}
}

/**
 * Two probes as one: every hook calls `first`'s, then `second`'s. Returns `second` alone when
 * there is no `first` or it is a plain `NoopProbe` (nothing is lost by dropping it). Lets a
 * second instrument (the console inside a simulated host) join the one already installed;
 * restoring the probe saved before `setProbe` unchains it.
 *
 * @example
 * ```ts
 * const prev = rt.executor.setProbe(chainProbes(rt.executor.probe, new PollCounter()));
 * // ...
 * rt.executor.setProbe(prev);
 * ```
 */
export function chainProbes(first: Probe | null, second: Probe): Probe {
  if (first === null || Object.getPrototypeOf(first) === NoopProbe.prototype) return second;
  return new ProbeChain(first, second);
}

class ProbeChain implements Probe {
  constructor(
    readonly first: Probe,
    readonly second: Probe,
  ) {}
  onSpawn(task: Task<unknown>): void {
    this.first.onSpawn(task);
    this.second.onSpawn(task);
  }
  onWake(task: Task<unknown>): void {
    this.first.onWake(task);
    this.second.onWake(task);
  }
  beforePoll(task: Task<unknown>): void {
    this.first.beforePoll(task);
    this.second.beforePoll(task);
  }
  afterPoll(task: Task<unknown>, slot: number, pollMs: number, latencyMs: number): void {
    this.first.afterPoll(task, slot, pollMs, latencyMs);
    this.second.afterPoll(task, slot, pollMs, latencyMs);
  }
  afterDrain(drainMs: number, polls: number, timedMs: number): void {
    this.first.afterDrain(drainMs, polls, timedMs);
    this.second.afterDrain(drainMs, polls, timedMs);
  }
  onComplete(task: Task<unknown>): void {
    this.first.onComplete(task);
    this.second.onComplete(task);
  }
}
