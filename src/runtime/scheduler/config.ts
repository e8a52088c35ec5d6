/**
 * Scheduling policy as data: every knob of both schedulers in one documented object, each with
 * the reason for its value. The current-thread executor reads `eventInterval`, `budget`,
 * `readyQueueCapacity` and `eagerPollDepth`; the multi-thread workers read the rest.
 *
 * Invariants (test/core/scheduler_config.test.ts): every knob is a positive integer (a bad value
 * is a RangeError naming the knob, at runtime construction); a partial config is completed from
 * the defaults; the defaults object is frozen.
 * @module
 */

/** Every scheduler knob (see {@link DEFAULT_SCHEDULER_CONFIG} for each value's reason). */
export interface SchedulerConfig {
  /** Polls per event-loop turn before the current-thread executor yields to I/O and timers. */
  eventInterval: number;
  /** Coop budget units per task poll (see `runtime/coop.ts`). */
  budget: number;
  /** Initial capacity of the current-thread ready queue (it doubles when full). */
  readyQueueCapacity: number;
  /** Current-thread: how deep eager first polls (`Executor.spawnEager`) may nest. */
  eagerPollDepth: number;
  /** Multi-thread: polls per worker tick before it checks its inbox and drivers. */
  workerTickPolls: number;
  /** Multi-thread: every this many ticks a worker takes from the global queue first. */
  globalQueueInterval: number;
  /** Multi-thread: polls in a row a worker may take from its LIFO slot before the deque. */
  maxLifoPolls: number;
  /** Multi-thread: most tasks a worker moves from the global queue to its deque at once. */
  globalBatch: number;
  /** Multi-thread: a thief takes 1/stealDivisor of the victim's deque (rounded up). */
  stealDivisor: number;
  /** Multi-thread: at most workers/searchingDivisor workers search (steal) at once. */
  searchingDivisor: number;
  /** Multi-thread: capacity of each worker's local deque. */
  localQueueCapacity: number;
  /** Multi-thread: a worker that dies this many times in a row before its loop starts is not restarted. */
  workerStartAttempts: number;
}

/** The defaults, each with its reason. */
export const DEFAULT_SCHEDULER_CONFIG: Readonly<SchedulerConfig> = Object.freeze({
  // Tokio's event_interval: I/O and timers get a turn at least every 61 polls, which keeps their
  // latency bounded without paying an event-loop turn per task (bench/net.ts).
  eventInterval: 61,
  // Tokio's budget: enough for a task to drain a busy channel in a burst, small enough that one
  // always-ready task cannot hold the thread for more than ~128 resource operations.
  budget: 128,
  // 1024 ready tasks cover a busy server's bursts without growing; the ring doubles beyond.
  readyQueueCapacity: 1024,
  // One level: a connection's request task gets its first poll inside the connection's poll
  // (a request that completes at once then costs no queue round trip and no second connection
  // poll, bench/http.ts); a task spawned eagerly from inside such a poll is queued, so a chain
  // of eager spawns can never grow the stack.
  eagerPollDepth: 1,
  // Same reason as eventInterval, per worker.
  workerTickPolls: 61,
  // Tokio's global_queue_interval default: a worker checks the global queue first every 61
  // ticks so that injected tasks are not starved by a worker whose deque never empties.
  globalQueueInterval: 61,
  // Tokio's MAX_LIFO_POLLS_PER_TICK: the LIFO slot makes message passing fast, but three polls
  // in a row is where a ping-pong pair would start starving the deque.
  maxLifoPolls: 3,
  // Tokio moves at most 128 from the injection queue at once (and never more than a fair share).
  globalBatch: 128,
  // Steal half (Tokio, Go): the thief and the victim end up with equal work.
  stealDivisor: 2,
  // At most half the workers search at once (Tokio): more searchers only contend on the deques.
  searchingDivisor: 2,
  // Tokio's local queue size: 256 tasks fit in the shared buffer's per-worker region.
  localQueueCapacity: 256,
  // A worker that cannot start (resourceLimits too small for Node itself, a broken install) dies
  // the same way every time: three tries tell that from a one-off, and restarting forever would
  // hang every parallel task without a word (test/parallel/faults.test.ts).
  workerStartAttempts: 3,
});

/** `partial` completed from the defaults; throws RangeError naming a bad knob. */
export function schedulerConfig(partial: Partial<SchedulerConfig> = {}): SchedulerConfig {
  const c: SchedulerConfig = { ...DEFAULT_SCHEDULER_CONFIG };
  for (const key of Object.keys(partial) as (keyof SchedulerConfig)[]) {
    if (!(key in DEFAULT_SCHEDULER_CONFIG)) throw new RangeError(`unknown scheduler option ${JSON.stringify(key)}`);
    const v = partial[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`scheduler option ${key} must be a positive integer, got ${String(v)}`);
    c[key] = v;
  }
  return c;
}
