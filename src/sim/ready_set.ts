/**
 * The simulator's view of every ready task of every host: rebuilt before each step from the
 * hosts' own ready queues, each task with the key the trace and the strategy know it by: its
 * `JoinHandle.id`, which inside a run comes from the run's own id source (unique in the run,
 * the same in every replay of the seed).
 *
 * Invariants: the view lists hosts in boot order and each host's tasks in its queue's order, so
 * it depends only on what ran before; a key names one task for the whole run.
 * Proved by test/sim/determinism.test.ts and test/sim/task_ids.test.ts.
 * @module
 */
import type { HostNode } from './node.js';
import { readyAt, readyCount } from './seams.js';

/** @internal */
export class ReadySet {
  readonly nodes: HostNode[] = [];
  /** Index of each entry in its host's ready queue. */
  readonly idx: number[] = [];
  /** Task keys (ids), parallel to `nodes` (what the strategy chooses among). */
  readonly keys: number[] = [];
  length = 0;

  /** Rebuilds the view from the ready queues of `nodes`; returns how many tasks are ready. */
  collect(nodes: readonly HostNode[]): number {
    let n = 0;
    for (const node of nodes) {
      const c = readyCount(node.rt);
      for (let i = 0; i < c; i++) {
        this.nodes[n] = node;
        this.idx[n] = i;
        this.keys[n] = readyAt(node.rt, i).id;
        n++;
      }
    }
    this.length = n;
    return n;
  }
}
