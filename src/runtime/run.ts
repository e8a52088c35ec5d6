/**
 * `run(main)` and `runWith(opts, main, ...args)`: the program entry point. Creates a runtime,
 * runs `main` as its root task, shuts the runtime down (cancelling whatever `main` left running)
 * and resolves with `main`'s output. While it runs it handles SIGINT and SIGTERM the way
 * Effection's `main` and Effect's `runMain` do.
 *
 * Invariants (test/core/executor.test.ts, test/edge/run_signals.test.ts):
 * - The runtime is shut down whether `main` returns or throws; `main`'s own error is what the
 *   promise rejects with.
 * - First SIGINT/SIGTERM: `main` is aborted (every `finally` runs, async ones included), the
 *   runtime shuts down, and the process exits with 128 + the signal number (130 / 143). If the
 *   program listens for that signal itself (`ctrlC()`, `signal('SIGTERM')`, `process.on`), the
 *   first one is left to it, as Node leaves it.
 * - A second signal exits at once with the same code; `handleSignals: false` installs nothing.
 * - The handlers are removed when `run` settles.
 * @module
 */
import type { Future } from '../future/future.js';
import { Runtime, type RuntimeOptions } from './runtime.js';
import type { AnyFn, BodyArgs, BodyOutput, SpawnBody } from './spawn_body.js';

/** Options of `run` and `runWith`: the runtime's options and signal handling. */
export interface RunOptions extends RuntimeOptions {
  /**
   * Install SIGINT/SIGTERM handlers while `main` runs (default true): the first signal aborts
   * `main` and exits with 130/143 after every `finally` ran; a second one exits at once.
   */
  handleSignals?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const EXIT_CODE: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Creates a runtime, runs `main` on it, shuts it down (cancelling whatever `main` left running)
 * and resolves with `main`'s output. Ctrl-C (SIGINT) or SIGTERM aborts `main`: its `finally`
 * blocks run, then the process exits with 130 / 143 (a second signal exits at once).
 *
 * @example
 * ```ts
 * await run(function* main() {
 *   const listener = yield* TcpListener.bind('127.0.0.1:8080');
 *   try { yield* serve(listener); } finally { console.log('bye'); } // runs on Ctrl-C
 * });
 * ```
 */
export function run<B extends AnyFn | Future<unknown>>(main: B, opts?: RunOptions): Promise<BodyOutput<B>> {
  return runMain(opts ?? {}, main as SpawnBody, []) as Promise<BodyOutput<B>>;
}

/**
 * `run` with options first and typed arguments for `main`.
 *
 * @example
 * ```ts
 * function* main(port: number, root: string) { ... }
 * await runWith({ name: 'files' }, main, 8080, '/srv');
 * ```
 */
export function runWith<B extends AnyFn | Future<unknown>>(opts: RunOptions, main: B, ...args: BodyArgs<B>): Promise<BodyOutput<B>> {
  if (opts === null || typeof opts !== 'object') throw new TypeError('runWith(opts, main, ...args): opts must be an object');
  return runMain(opts, main as SpawnBody, args) as Promise<BodyOutput<B>>;
}

async function runMain(opts: RunOptions, main: SpawnBody, args: readonly unknown[]): Promise<unknown> {
  const { handleSignals, ...rtOpts } = opts;
  if (handleSignals !== undefined && typeof handleSignals !== 'boolean') {
    throw new TypeError(`run: handleSignals must be a boolean, got ${typeof handleSignals}`);
  }
  const rt = new Runtime(rtOpts);
  if (handleSignals === false) {
    try {
      return await rt.blockOn(main, ...(args as []));
    } finally {
      await rt.shutdown();
    }
  }
  const ctrl = new AbortController();
  let exitCode = 0;
  let seen = false;
  const handlers = SIGNALS.map((sig) => {
    const h = (): void => {
      if (seen) process.exit(EXIT_CODE[sig]);
      seen = true;
      // The program listens for this signal itself: the first one is its to handle.
      if (process.listenerCount(sig) > 1) return;
      exitCode = EXIT_CODE[sig];
      ctrl.abort();
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  try {
    return await rt.blockOnWith({ signal: ctrl.signal }, main, ...(args as []));
  } finally {
    try {
      await rt.shutdown();
    } finally {
      for (const [sig, h] of handlers) process.removeListener(sig, h);
      if (exitCode !== 0) process.exit(exitCode);
    }
  }
}
