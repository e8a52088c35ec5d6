/**
 * `SimError`: how a simulation run fails. It carries the seed that replays the run, the host
 * where it failed, the original error as `cause`, and a one-line replay hint.
 *
 * Invariants: `seed` is the seed of the failing run (explore's too); the message's last line
 * is the replay hint. Proved by test/sim/errors.test.ts.
 * @module
 */

/** Why a run failed. */
export type SimErrorKind =
  | 'client-failed'
  | 'unhandled-task-error'
  | 'deadlock'
  | 'max-steps'
  | 'duration'
  | 'real-io'
  | 'callback-failed'
  | 'nondeterminism'
  | 'bad-usage';

/** Details of a `SimError`. */
export interface SimErrorInit {
  readonly kind: SimErrorKind;
  readonly seed: number;
  readonly host: string | null;
  readonly cause?: unknown;
  readonly elapsedMs: number;
  readonly steps: number;
  /** For deadlocks: each host's stuck tasks with their await chains. */
  readonly stuck?: Readonly<Record<string, readonly string[]>>;
}

/** The command that reruns just `seed` (the current script under `KYOTO_SIM_SEED`). */
export function replayHint(seed: number): string {
  const script = process.argv[1] ?? 'your-test.js';
  return `replay: KYOTO_SIM_SEED=${seed} node ${script}`;
}

/**
 * A failed simulation run. `seed` replays it: `KYOTO_SIM_SEED=<seed> node test.js`.
 *
 * @example
 * ```ts
 * try {
 *   await sim.run();
 * } catch (e) {
 *   if (e instanceof SimError) console.error(e.kind, e.host, e.seed, e.cause);
 * }
 * ```
 */
export class SimError extends Error {
  override name = 'SimError';
  readonly kind: SimErrorKind;
  readonly seed: number;
  /** The host (or client) where the failure happened, null when it is not one host's. */
  readonly host: string | null;
  readonly elapsedMs: number;
  readonly steps: number;
  /** The replay hint (also the message's last line). */
  readonly replay: string;
  /** Deadlocks: host name to the dump lines of its stuck tasks (await chains included). */
  readonly stuck: Readonly<Record<string, readonly string[]>>;

  constructor(message: string, init: SimErrorInit) {
    const replay = replayHint(init.seed);
    const where = init.host === null ? '' : ` on ${init.host}`;
    super(
      `sim seed ${init.seed}${where} at ${init.elapsedMs} ms (step ${init.steps}): ${message}\n${replay}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.kind = init.kind;
    this.seed = init.seed;
    this.host = init.host;
    this.elapsedMs = init.elapsedMs;
    this.steps = init.steps;
    this.replay = replay;
    this.stuck = init.stuck ?? {};
  }
}
