/**
 * kyoto/sim: deterministic simulation of whole distributed programs — seeded schedules,
 * virtual time, a simulated network with faults, replay by seed (see docs/sim.md).
 *
 * @example
 * ```ts
 * import { Sim, explore } from 'kyoto/sim';
 * await explore((seed) => new Sim({ seed }).host('kv', kvMain).client('c', clientMain).run(), { seeds: 200 });
 * ```
 * @module
 */
export { Sim } from './sim.js';
export type { SimResult } from './sim.js';
export type { SimOptions } from './options.js';
export { SimError, replayHint } from './error.js';
export type { SimErrorKind, SimErrorInit } from './error.js';
export { explore, replaySeed } from './explore.js';
export type { ExploreOptions, ExploreResult, DeterminismReport, SimBuild } from './explore.js';
export type { Strategy } from './strategy.js';
export { Rng } from './prng.js';
export { SIM_EPOCH_MS } from './determinism.js';
