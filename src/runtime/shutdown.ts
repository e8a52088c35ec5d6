/**
 * The shutdown state machine of one runtime: `running` → `shutting-down` (every live task was
 * aborted; their `finally` blocks, async ones included, still run) → `shut-down` (no live task
 * is left, every driver was shut down, the `shutdown()` promises resolved).
 *
 * With a grace period (`shutdown({ timeoutMs })`), tasks still unwinding when it ends are
 * abandoned: the phase becomes `shut-down` anyway, the drivers close every socket, listener and
 * timer (so nothing an abandoned task holds stays open), and the promises resolve, bounded by the
 * same deadline even if a driver's own shutdown is slower.
 *
 * Invariants: the phase only moves forward; `shut-down` is entered exactly once, when the stats
 * slab holds no live task or when the deadline passed; drivers are shut down after the last task
 * finished (or the deadline), never before, and are handed the deadline; a driver that fails to
 * shut down is reported and does not keep the others (or the promise) from completing. Proved by
 * test/core/runtime_split.test.ts, test/task/cancel.test.ts and test/edge/shutdown.test.ts.
 * @module
 */
import type { Executor } from './scheduler/current_thread/executor.js';

/**
 * Thrown when spawning on a runtime that has shut down.
 *
 * @example
 * ```ts
 * await rt.shutdown();
 * rt.spawn(worker); // throws RuntimeShutdownError
 * ```
 */
export class RuntimeShutdownError extends Error {
  override name = 'RuntimeShutdownError';
}

/** Where a runtime is in its life. */
export type ShutdownPhase = 'running' | 'shutting-down' | 'shut-down';

/** @internal The shutdown of one runtime (see the module comment). */
export class Shutdown {
  phase: ShutdownPhase = 'running';
  private readonly waiters: (() => void)[] = [];
  /** `performance.now()` by which shutdown completes, when a grace period was given. */
  private deadline: number | undefined = undefined;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Tasks still alive when the grace period ended (they were abandoned). */
  abandoned = 0;

  constructor(
    private readonly ex: Executor,
    /** Called once, when the phase becomes `shut-down` (before the drivers shut down). */
    private readonly onShutDown: () => void,
  ) {}

  /**
   * Aborts every live task (once) and resolves when the runtime is shut down; with `timeoutMs`,
   * at the latest that long after this call (the earliest deadline of several calls wins).
   */
  begin(timeoutMs?: number): Promise<void> {
    if (this.phase === 'shut-down') return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (timeoutMs !== undefined && timeoutMs !== Infinity) this.armDeadline(timeoutMs);
    if (this.phase === 'running') {
      this.phase = 'shutting-down';
      this.ex.stats.forEach((t) => t.abort());
      this.maybeFinish();
    }
    return done;
  }

  /** A task finished: the last one to finish during shutdown completes it. */
  taskFinished(): void {
    if (this.phase === 'shutting-down') this.maybeFinish();
  }

  private armDeadline(timeoutMs: number): void {
    const deadline = performance.now() + timeoutMs;
    if (this.deadline !== undefined && this.deadline <= deadline) return;
    this.deadline = deadline;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.abandon(), timeoutMs);
  }

  /** The grace period ended: stop waiting for the tasks still unwinding. */
  private abandon(): void {
    this.timer = null;
    if (this.phase !== 'shutting-down') return;
    this.abandoned = this.ex.stats.live;
    this.finish();
  }

  private maybeFinish(): void {
    if (this.ex.stats.live > 0) return;
    this.finish();
  }

  private finish(): void {
    this.phase = 'shut-down';
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.onShutDown();
    const deadline = this.deadline;
    const waits: Promise<void>[] = [];
    for (const d of this.ex.drivers.values()) {
      try {
        const p = d.shutdown?.(deadline);
        if (p !== undefined) waits.push(p.catch((e: unknown) => console.error('kyoto: a driver failed to shut down:', e)));
      } catch (e) {
        console.error('kyoto: a driver failed to shut down:', e);
      }
    }
    const waiters = this.waiters.splice(0);
    const release = () => {
      for (const w of waiters.splice(0)) w();
    };
    if (waits.length === 0) release();
    else {
      void Promise.all(waits).then(release);
      if (deadline !== undefined) setTimeout(release, Math.max(0, deadline - performance.now()));
    }
  }
}
