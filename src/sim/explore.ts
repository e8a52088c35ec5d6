/**
 * `explore`: runs a scenario under many seeds (in-process, one after another), stops at the
 * first failure and rejects with its `SimError`, whose `seed` replays it; and
 * `checkDeterminism`: runs one seed twice and reports the first event where the runs diverge.
 *
 * `KYOTO_SIM_SEED=<seed>` makes `explore` run just that seed (the replay workflow).
 *
 * Invariants: seeds run in the order given; the strategy applies to every `Sim` that `build`
 * creates during the call and is restored afterwards. Proved by test/sim/explore_sync.test.ts and test/sim/kv.test.ts.
 * @module
 */
import { SimError } from './error.js';
import { ambient } from './options.js';
import type { Strategy } from './strategy.js';

/** What `build(seed)` returns: `sim.run()`'s promise (or anything resolving like it). */
export type SimBuild = (seed: number) => Promise<{ readonly steps: number; readonly traceHash: string }>;

/** Options of `explore`. */
export interface ExploreOptions {
  /** How many seeds (0, 1, ..., n-1) or which seeds. */
  seeds: number | readonly number[];
  /** 'random' (default) or 'pct' (priority schedules with `depth - 1` change points). */
  strategy?: Strategy;
  /** PCT depth: the number of ordering constraints a bug may need (default 3). */
  depth?: number;
}

/** What `explore` resolves with when no seed failed. */
export interface ExploreResult {
  /** Seeds run. */
  readonly runs: number;
  /** Task polls over all runs. */
  readonly steps: number;
  /** Distinct trace hashes seen (how many different schedules were explored). */
  readonly distinctTraces: number;
}

/** The seed to replay from `KYOTO_SIM_SEED`, or null. */
export function replaySeed(): number | null {
  const v = process.env['KYOTO_SIM_SEED'];
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`KYOTO_SIM_SEED must be an integer, got ${JSON.stringify(v)}`);
  return n;
}

function seedList(s: number | readonly number[]): readonly number[] {
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 1) throw new RangeError(`explore: seeds must be a count >= 1 or a list, got ${s}`);
    return Array.from({ length: s }, (_, i) => i);
  }
  if (!Array.isArray(s) || s.length === 0) throw new RangeError('explore: seeds must be a count >= 1 or a non-empty list');
  return s;
}

/**
 * Runs `build(seed)` for each seed; rejects with the first failure's `SimError` (its `seed`
 * replays it: `KYOTO_SIM_SEED=<seed> node test.js`).
 *
 * @example
 * ```ts
 * await explore((seed) => new Sim({ seed }).client('t', body).run(), { seeds: 500, strategy: 'pct' });
 * ```
 */
export async function explore(build: SimBuild, opts: ExploreOptions): Promise<ExploreResult> {
  const replay = replaySeed();
  const seeds = replay !== null ? [replay] : seedList(opts.seeds);
  const prev = { strategy: ambient.strategy, depth: ambient.depth, exploring: ambient.exploring };
  ambient.exploring = replay === null;
  ambient.strategy = opts.strategy ?? 'random';
  ambient.depth = opts.depth ?? 3;
  let steps = 0;
  const hashes = new Set<string>();
  try {
    for (const seed of seeds) {
      let r: { readonly steps: number; readonly traceHash: string };
      try {
        r = await build(seed);
      } catch (e) {
        if (e instanceof SimError) throw e;
        throw new SimError(`build(${seed}) failed outside the simulation: ${String((e as Error)?.message ?? e)}`, {
          kind: 'bad-usage', seed, host: null, cause: e, elapsedMs: 0, steps: 0,
        });
      }
      steps += r.steps;
      hashes.add(r.traceHash);
    }
  } finally {
    ambient.strategy = prev.strategy;
    ambient.depth = prev.depth;
    ambient.exploring = prev.exploring;
  }
  return { runs: seeds.length, steps, distinctTraces: hashes.size };
}

/** What `Sim.checkDeterminism` reports. */
export interface DeterminismReport {
  readonly deterministic: boolean;
  /** The two runs' trace hashes. */
  readonly traceHashes: readonly [string, string];
  /** Events recorded in each run. */
  readonly events: readonly [number, number];
  /** The first differing event (index, and each run's event there), or null. */
  readonly firstDivergence: { readonly index: number; readonly first: string; readonly second: string } | null;
}

/** @internal `Sim.checkDeterminism`. */
export async function checkDeterminism(build: SimBuild, seed: number): Promise<DeterminismReport> {
  const prevRecord = ambient.record;
  const hashes: string[] = [];
  const logs: string[][] = [];
  ambient.record = true;
  try {
    for (let i = 0; i < 2; i++) {
      ambient.recorded = [];
      try {
        hashes.push((await build(seed)).traceHash);
      } catch (e) {
        hashes.push(e instanceof SimError ? `failed:${e.kind}` : 'failed');
      }
      logs.push(ambient.recorded.flat());
    }
  } finally {
    ambient.record = prevRecord;
    ambient.recorded = [];
  }
  const [a, b] = [logs[0]!, logs[1]!];
  let firstDivergence: DeterminismReport['firstDivergence'] = null;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      firstDivergence = { index: i, first: a[i] ?? '(end of run)', second: b[i] ?? '(end of run)' };
      break;
    }
  }
  return {
    deterministic: firstDivergence === null && hashes[0] === hashes[1],
    traceHashes: [hashes[0]!, hashes[1]!],
    events: [a.length, b.length],
    firstDivergence,
  };
}
