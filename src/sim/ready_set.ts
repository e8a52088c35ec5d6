/**
 * The simulator's view of every ready task of every host: rebuilt before each step from the
 * hosts' own ready queues, each task with the key the trace and the strategy know it by (tasks
 * are numbered in the order they were first spawned or woken).
 *
 * Invariants: the view lists hosts in boot order and each host's tasks in its queue's order, so
 * it depends only on what ran before; a key names one task for the whole run.
 * Proved by test/sim/determinism.test.ts.
 * @module
 */
import type { HostNode } from './node.js';
import { readyAt, readyCount, type SimTask } from './seams.js';

/** @internal */
export class ReadySet {
  readonly nodes: HostNode[] = [];
  /** Index of each entry in its host's ready queue. */
  readonly idx: number[] = [];
  /** Task keys, parallel to `nodes` (what the strategy chooses among). */
  readonly keys: number[] = [];
  length = 0;
  private readonly keyOf = new Map<SimTask, number>();
  private nextKey = 0;

  /** The key of `task`, and whether it was just assigned. */
  key(task: SimTask): [key: number, fresh: boolean] {
    const k = this.keyOf.get(task);
    if (k !== undefined) return [k, false];
    const n = ++this.nextKey;
    this.keyOf.set(task, n);
    return [n, true];
  }

  /** Rebuilds the view from the ready queues of `nodes`; returns how many tasks are ready. */
  collect(nodes: readonly HostNode[]): number {
    let n = 0;
    for (const node of nodes) {
      const c = readyCount(node.rt);
      for (let i = 0; i < c; i++) {
        this.nodes[n] = node;
        this.idx[n] = i;
        this.keys[n] = this.key(readyAt(node.rt, i))[0];
        n++;
      }
    }
    this.length = n;
    return n;
  }

  /** Forgets a finished task's key (it will never be ready again). */
  finished(task: SimTask): void {
    this.keyOf.delete(task);
  }
}
