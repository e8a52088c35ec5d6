/**
 * The simulator's next-task choice: which of the ready tasks (of every host) is polled next.
 *
 * - `random`: uniformly among the ready tasks, from the seeded generator.
 * - `pct` (probabilistic concurrency testing, Burckhardt et al. 2010, as in shuttle): every task
 *   gets a random priority when it first becomes ready and the highest-priority ready task always
 *   runs; at `depth - 1` random steps the running task's priority drops below every other. A bug
 *   that needs `d` ordering constraints is found with probability at least 1/(n·k^(d-1)) per run
 *   (n tasks, k steps), which is why rare interleavings show up in hundreds of seeds.
 *
 * Invariants: the choice depends only on the generator and on the ready list (its order and its
 * tasks' keys); `choose` returns an index in [0, n). Why change points log-uniform over
 * 100,000 steps: the scenario's length is not known in advance (and a replay by seed must not
 * depend on it); log-uniform spacing gives short and long scenarios alike a fair chance. Proved by test/sim/explore_sync.test.ts and test/sim/kv.test.ts.
 * @module
 */
import type { Rng } from './prng.js';

/** How the simulator picks the next task: `random` or `pct` (see docs/sim.md). */
export type Strategy = 'random' | 'pct';

/** Steps over which PCT spreads its priority change points (log-uniformly). */
export const PCT_HORIZON = 100_000;

/** @internal A next-task chooser. */
export interface Chooser {
  /** Index of the task to poll among `keys[0..n)` (task keys, unique in the run) at `step`. */
  choose(keys: readonly number[], n: number, step: number): number;
}

/** @internal Makes the chooser of `strategy`. */
export function makeChooser(strategy: Strategy, depth: number, rng: Rng): Chooser {
  if (strategy === 'random') return new RandomChooser(rng);
  if (strategy === 'pct') return new PctChooser(rng, depth);
  throw new RangeError(`strategy must be 'random' or 'pct', got ${JSON.stringify(strategy)}`);
}

class RandomChooser implements Chooser {
  constructor(private readonly rng: Rng) {}
  choose(_keys: readonly number[], n: number): number {
    return this.rng.int(n);
  }
}

class PctChooser implements Chooser {
  private readonly prio = new Map<number, number>();
  private readonly changeAt: Set<number>;
  private lowered = 0;

  constructor(
    private readonly rng: Rng,
    private readonly depth: number,
  ) {
    if (!Number.isInteger(depth) || depth < 1) throw new RangeError(`depth must be an integer >= 1, got ${String(depth)}`);
    this.changeAt = new Set<number>();
    // Log-uniform over [1, PCT_HORIZON]: as likely to land in the first 10 steps as in the
    // next 90 or the next 900, so short scenarios get change points too, and the points depend
    // only on the seed (a replay by seed needs no other input).
    for (let i = 1; i < depth; i++) this.changeAt.add(Math.floor(Math.exp(rng.next() * Math.log(PCT_HORIZON))));
  }

  choose(keys: readonly number[], n: number, step: number): number {
    let best = 0;
    let bestP = -Infinity;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      let p = this.prio.get(k);
      if (p === undefined) {
        // Initial priorities sit above every lowered one (which are < depth).
        p = this.depth + this.rng.next();
        this.prio.set(k, p);
      }
      if (p > bestP) {
        bestP = p;
        best = i;
      }
    }
    if (this.changeAt.has(step)) {
      this.lowered++;
      this.prio.set(keys[best]!, this.depth - 1 - this.lowered / (this.depth + 1));
    }
    return best;
  }
}
