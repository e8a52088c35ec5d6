/**
 * The shutdown state machine of one runtime: `running` → `shutting-down` (every live task was
 * aborted; their `finally` blocks, async ones included, still run) → `shut-down` (no live task
 * is left, every driver was shut down, the `shutdown()` promises resolved).
 *
 * Invariants: the phase only moves forward; `shut-down` is entered exactly once, when the stats
 * slab holds no live task; drivers are shut down after the last task finished, never before;
 * a driver that fails to shut down is reported and does not keep the others (or the promise)
 * from completing. Proved by test/core/runtime_split.test.ts and test/task/cancel.test.ts.
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

  constructor(
    private readonly ex: Executor,
    /** Called once, when the phase becomes `shut-down` (before the drivers shut down). */
    private readonly onShutDown: () => void,
  ) {}

  /** Aborts every live task (once) and resolves when the runtime is shut down. */
  begin(): Promise<void> {
    if (this.phase === 'shut-down') return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
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

  private maybeFinish(): void {
    if (this.ex.stats.live > 0) return;
    this.phase = 'shut-down';
    this.onShutDown();
    const waits: Promise<void>[] = [];
    for (const d of this.ex.drivers.values()) {
      try {
        const p = d.shutdown?.();
        if (p !== undefined) waits.push(p.catch((e: unknown) => console.error('kyoto: a driver failed to shut down:', e)));
      } catch (e) {
        console.error('kyoto: a driver failed to shut down:', e);
      }
    }
    const waiters = this.waiters.splice(0);
    if (waits.length === 0) for (const w of waiters) w();
    else void Promise.all(waits).then(() => { for (const w of waiters) w(); });
  }
}
